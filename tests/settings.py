"""Test settings: the project's settings with a throwaway secret key.

Everything else (DATABASE_URL, REDIS_URL) comes from the environment exactly as in
production, so `.ci/run` can point the same suite at PostgreSQL and Redis.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")

from newsroom.settings import *  # noqa: F403

# Tests serve static files from the source folders, without a collectstatic step.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True  # serve from the finders; there is no collected folder
WHITENOISE_USE_FINDERS = True

# Each run keeps its rendered documents in a folder of its own (servers the tests
# start are given theirs).
if "DOCUMENTS_DIR" not in os.environ:
    DOCUMENTS_DIR = Path(tempfile.mkdtemp(prefix="newsroom-test-documents-"))
# So do the API throttles' counts, when they are kept in files (no Redis).
if "THROTTLE_DIR" not in os.environ and "filebased" in CACHES["throttle"]["BACKEND"]:  # noqa: F405
    CACHES["throttle"]["LOCATION"] = tempfile.mkdtemp(prefix="newsroom-test-throttle-")  # noqa: F405

# The test database of SQLite lives in a file, not in memory, so that a server the
# tests start (tests/test_change_matrix.py) reads what they commit.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.mkdtemp(prefix="newsroom-test-db-")) / "test.sqlite3")
    }

# No look for embargoed drafts on every request (events.embargo): query counts must
# not depend on the clock. tests/test_embargo.py turns the looks on.
EMBARGO_LOOK_EVERY = None
