"""A digest of everything that shapes what readers get: the code, the templates and
the translations. It is part of every ETag and of every cache key of pages, documents
and pieces, so a deploy that changes any output can never serve what the old code
rendered (and one that changes nothing keeps every cache)."""

import hashlib
from pathlib import Path

from django.conf import settings

SUFFIXES = {".py", ".html", ".txt", ".mo"}


def digest():
    base = Path(settings.BASE_DIR)
    roots = [Path(__file__).parent, base / "templates", *map(Path, settings.LOCALE_PATHS)]
    found = hashlib.sha256()
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                found.update(str(path.relative_to(base)).encode())
                found.update(path.read_bytes())
    return found.hexdigest()[:12]


CODE_VERSION = digest()
