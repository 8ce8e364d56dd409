"""Test settings: the project's settings with a throwaway secret key.

Everything else (DATABASE_URL, REDIS_URL) comes from the environment exactly as in
production, so `.ci/run` can point the same suite at PostgreSQL and Redis.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")

from newsroom.settings import *  # noqa: F403
