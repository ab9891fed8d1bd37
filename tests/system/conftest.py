import fcntl

import pytest

from tests.support.background import shared_folder


@pytest.fixture(scope="module")
def replica_cluster(request):
    """The replica's tests stop and start the one replica cluster (scripts/start_replica.sh): a module holds it until
    its end, so two workers (`make test` runs several) never use it at once."""
    with (shared_folder(request.config) / "replica.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield
