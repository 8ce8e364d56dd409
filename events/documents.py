"""Rendered export documents, kept as files on this server's disk.

A document (a feed, a calendar, a CSV …) is written once per version, chunk by chunk
as it is assembled, and then sent from its file the way a static file is sent —
with `sendfile` under gunicorn — so a 25 MB calendar neither sits in a worker's
memory nor crosses the network from a cache server on every poll. Names are the
document's ETag, which holds its version: a file never changes once written and a
new version is a new file. Each document keeps its newest file only, and the folder
is trimmed, oldest first, when it grows past `DOCUMENTS_MAX_BYTES`.

This is a cache: every server keeps its own, losing it costs one assembly from the
shared piece cache (`events.exports.pieces`), and any server can be replaced.
"""

import io
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)
TRIM_EVERY = 50  # writes between two checks of the folder's size
STALE_TEMPORARY = 600  # seconds after which an unfinished write is someone's crash

_writes = 0


def root():
    return Path(settings.DOCUMENTS_DIR)


def open_document(document, version, render):
    """The file of `version` of `document` (hex digests), open for reading; written
    from `render()`, an iterable of bytes, if this server does not have it yet.

    A write goes to a temporary file that is renamed into place, so no reader sees
    half a document; then the document's older versions are removed (a reader that
    has one open keeps reading it)."""
    path = root() / document / version
    try:
        return path.open("rb")
    except OSError:  # not written yet (or the folder cannot be read: written below)
        pass
    try:
        out = _write(path, render)
    except OSError as error:  # a full or read-only disk: slower, but still an answer
        logger.warning("cannot keep %s: %s", path, error)
        return io.BytesIO(b"".join(render()))
    try:
        _remove_others(path)
    except OSError as error:  # tidying up must not cost the reader the answer
        logger.warning("cannot tidy %s: %s", path.parent, error)
    return out


def _write(path, render):
    chunks = iter(render())
    # A missing timeline, event or tag raises here, before any folder is made for it.
    first = next(chunks, b"")
    path.parent.mkdir(parents=True, exist_ok=True)
    out = tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False)  # noqa: SIM115
    try:
        out.write(first)
        for chunk in chunks:
            out.write(chunk)
        out.flush()
        os.replace(out.name, path)
    except BaseException:
        out.close()
        Path(out.name).unlink(missing_ok=True)
        raise
    out.seek(0)
    return out


def _remove_others(path):
    """Remove the other versions of a document; now and then, trim the folder."""
    global _writes
    version = path.name
    for other in path.parent.iterdir():
        if other.name != version and not _in_progress(other):
            other.unlink(missing_ok=True)
    _writes += 1
    if _writes % TRIM_EVERY == 0:
        trim(settings.DOCUMENTS_MAX_BYTES)


def _in_progress(path):
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return False
    return path.name.startswith(".tmp-") and age < STALE_TEMPORARY


def trim(max_bytes):
    """Remove the least recently written files until the folder holds under
    three quarters of `max_bytes`, and the folders of documents without a file."""
    files = []
    for folder in root().glob("*/"):
        found = []
        for path in folder.glob("*"):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            found.append((stat.st_mtime, stat.st_size, path))
        if not found:
            _remove_empty(folder)
        files += found
    total = sum(size for _, size, _ in files)
    if total <= max_bytes:
        return
    for _, size, path in sorted(files):
        if total <= max_bytes * 3 // 4:
            break
        path.unlink(missing_ok=True)
        total -= size


def _remove_empty(folder):
    """Remove a document's empty folder, unless it was just made for a file to come."""
    try:
        if time.time() - folder.stat().st_mtime > STALE_TEMPORARY:
            folder.rmdir()  # refused if a file has come after all: then it stays
    except OSError:
        pass


def clear():
    shutil.rmtree(root(), ignore_errors=True)
