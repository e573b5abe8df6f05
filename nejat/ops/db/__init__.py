def connection_of_its_own():
    """A new autocommit psycopg connection to the site's database, outside Django's (a
    listener's: it waits for ``NOTIFY`` on a thread of its own)."""
    import psycopg
    from django.db import connections

    params = connections.create_connection("default").get_connection_params()
    params.pop("cursor_factory", None)  # Django's, for its own cursors
    return psycopg.connect(**params, autocommit=True)
