"""Loading data as it is (seed, import) instead of editing it."""

from contextlib import contextmanager
from contextvars import ContextVar

_loading = ContextVar("loading", default=False)


@contextmanager
def loading_data():
    """Store events exactly as given (seed, import): no revision bumps, no restore rules."""
    token = _loading.set(True)
    try:
        yield
    finally:
        _loading.reset(token)


def is_loading_data():
    return _loading.get()
