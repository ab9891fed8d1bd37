"""The database connection pool of each server process (Django's psycopg pool, DATABASES OPTIONS "pool"): its
sizes, and the reset that hands every borrower a connection as a new one would be.

A pooled connection goes back to the pool at the end of each request (CONN_MAX_AGE must be 0) and the next
request, or a background thread, may borrow it. Session settings would travel with it: the only one this server
sets is the request's statement timeout (core/time_budgets.py), so the reset removes it, in the pool's own thread
after the connection is returned. Django sets the time zone once, when the pool opens a connection, which is why
the reset is not `RESET ALL` or `DISCARD ALL`. With CONN_HEALTH_CHECKS, the pool checks a connection before
lending it, so connections broken by a database restart are replaced without an error.
"""
from psycopg import Connection, pq


def reset_session(connection: Connection) -> None:
    """Run by the pool on every returned connection: the server's default statement timeout again."""
    connection.execute("RESET statement_timeout")
    if connection.info.transaction_status != pq.TransactionStatus.IDLE:
        connection.commit()  # outside autocommit the RESET opened a transaction; the pool wants the connection idle


def use_pool(databases: dict, *, min_size: int, max_size: int, timeout: float) -> None:
    """Every alias of `databases` borrows its connections from a pool of min_size..max_size in each process; a
    request that finds all max_size lent waits up to `timeout` seconds, then is answered 503 like a database that
    does not answer (core/outage.py)."""
    if not 1 <= min_size <= max_size:
        raise ValueError(f"the connection pool needs 1 <= DATABASE_POOL_MIN_SIZE <= DATABASE_POOL_MAX_SIZE, "
                         f"got {min_size} and {max_size}")
    for alias, database in databases.items():
        database["CONN_MAX_AGE"] = 0  # a pooled connection goes back to the pool at the end of each request
        database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": min_size, "max_size": max_size, "timeout": timeout, "reset": reset_session,
            "name": f"gis-portal-{alias}",
        }
