"""The heritage portal's background job: every night, the day's visitors counted and their hashes and salt deleted."""
from procrastinate.contrib.django import app

from core.jobs import RETRY


@app.periodic(cron="1 0 * * *", periodic_id="heritage-visits")
@app.task(name="heritage.roll_up_visits", queue="heritage", queueing_lock="heritage-visits", retry=RETRY, pass_context=False)
def roll_up_visits(timestamp: int | None = None) -> dict:
    """Count the visitors of the days before today and delete their hashes and salts (heritage/usage.py)."""
    from .usage import visits_roll_up

    return visits_roll_up()
