"""The readership's periodic work, on the ``maintenance`` queue."""

from procrastinate.contrib.django import app

from readership import flushing


@app.periodic(cron="* * * * *")
@app.task(queue="maintenance", queueing_lock="flush_readership")
def flush_readership(timestamp):
    """Every minute, the beacons gathered since the last flush into the daily counts."""
    return flushing.flush()


@app.periodic(cron="*/10 * * * *")
@app.task(queue="maintenance", queueing_lock="refresh_most_read")
def refresh_most_read(timestamp):
    """Every ten minutes, each edition's "Most read" ranked again (``readership.most_read``)."""
    from readership import most_read

    return most_read.refresh()
