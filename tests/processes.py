"""Running manage.py as a fresh process, with an environment of the test's choosing."""

import os
import subprocess
import sys

from django.conf import settings
from django.db import connection


def manage(*args, **env):
    """Run manage.py in a fresh process with the given environment."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def database_url():
    """The URL of the database this test runs on, for a process to share it."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    return f"postgres://{config['USER']}@{config['HOST']}:{config['PORT']}/{config['NAME']}"
