"""The WebSub hub that tests/websub/harness.py starts: Flask-WebSub's hub, configured here.

It runs in its own virtualenv (.hub-venv, from tests/websub/requirements.txt), apart from the
app's, as

    .hub-venv/bin/python tests/websub/hub_app.py PORT DATABASE

and serves its hub endpoint at http://127.0.0.1:PORT/hub. Flask-WebSub does its work
(verifying subscribers, fetching the topic, posting it to them) as Celery tasks; here a
Celery worker runs as a thread of this same process, fed by Kombu's in-memory broker, so the
hub needs no Redis or RabbitMQ. That worker runs one task at a time, in the order they came
(solo pool), so a publish that comes after a subscription was verified is distributed to it
too: the subscription task stores it before the next task starts. DATABASE is the SQLite
file where the hub keeps its subscriptions (the harness makes and removes it).
"""

import sys

from celery import Celery
from celery.contrib.testing.worker import start_worker
from flask import Flask
from flask_websub.hub import Hub, SQLite3HubStorage


def main(port, database):
    celery = Celery(
        "websub-hub",
        broker="memory://localhost/",
        # the worker polls the in-memory queue; Kombu's default is once a second
        broker_transport_options={"polling_interval": 0.01},
        task_ignore_result=True,
    )
    hub = Hub(
        SQLite3HubStorage(database),
        celery,
        # A failed delivery is retried after up to 0.25 s, 0.5 s, 1 s, 2 s (the library's
        # defaults, 8 s doubling for 10 attempts, would keep retrying for an hour).
        BACKOFF_BASE=0.25,
        MAX_ATTEMPTS=4,
        # the app under test may be slow to render a feed on a busy machine
        REQUEST_TIMEOUT=10,
    )
    app = Flask(__name__)
    # Lets the app (the publisher) ping the hub with hub.mode=publish, hub.topic=URL.
    app.config["PUBLISH_SUPPORTED"] = True
    app.register_blueprint(hub.build_blueprint(url_prefix="/hub"))
    # The hub makes its requests with Requests, which refuses no address: it fetches topics
    # from and posts to 127.0.0.1 and localhost as to any other host.
    with start_worker(celery, pool="solo", loglevel="INFO", perform_ping_check=False):
        app.run(host="127.0.0.1", port=port, threaded=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
