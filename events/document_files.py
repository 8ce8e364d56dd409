"""Rendered export documents, kept as files on this server's disk.

A document (a feed, a calendar, a CSV …) is written once per version, chunk by chunk
as it is assembled, and then sent from its file the way a static file is sent —
with `sendfile` under gunicorn — so a 25 MB calendar neither sits in a worker's
memory nor crosses the network from a cache server on every poll. Names are the
document's ETag, which holds its version: a file never changes once written and a
new version is a new file. Each document keeps its newest file only, and the folder
is trimmed, oldest first, when it grows past `DOCUMENTS_MAX_BYTES`.

No stampede: while one request writes a version, the others that want it wait for
it (a lock on the document's folder, `LOCK_FILE`, which also holds across the
workers of a server) and then send the file, instead of rendering it again; after
`WAIT_SECONDS` a waiting request renders on its own rather than wait longer.

This is a cache: every server keeps its own, losing it costs one render from the
events' kept renderings (`events.rendering`), and any server can be replaced.
"""

import fcntl
import io
import logging
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)
TRIM_EVERY = 50  # writes between two checks of the folder's size
STALE_TEMPORARY = 600  # seconds after which an unfinished write is someone's crash
LOCK_FILE = ".lock"  # in a document's folder: held while a version is written
WAIT_SECONDS = 20  # at most this long for another request's write (gunicorn's timeout: 30)

_writes = 0


def root():
    return Path(settings.DOCUMENTS_DIR)


def files():
    """The files of the documents kept (not their locks)."""
    return sorted(path for path in root().glob("*/*") if path.name != LOCK_FILE)


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
    chunks = iter(render())
    # A missing timeline, event or tag raises here, before any folder is made for it.
    first = next(chunks, b"")
    try:
        with _writing(path.parent):
            try:  # written by another request while this one waited
                found = path.open("rb")
            except OSError:
                out = _write(path, first, chunks)
                logger.info("wrote %s version %s", path.parent.name, path.name)
            else:
                _close(chunks)
                return found
    except OSError as error:  # a full or read-only disk: slower, but still an answer
        logger.warning("cannot keep %s: %s", path, error)
        _close(chunks)  # perhaps half written: made again
        return io.BytesIO(b"".join(render()))
    try:
        _remove_others(path)
    except OSError as error:  # tidying up must not cost the reader the answer
        logger.warning("cannot tidy %s: %s", path.parent, error)
    return out


def _close(chunks):
    if hasattr(chunks, "close"):  # a generator: let it tidy up (its database cursor)
        chunks.close()


@contextmanager
def _writing(folder):
    """Hold the document's lock: wait while another request (in any worker of this
    server) writes it, up to `WAIT_SECONDS`, then go on without it."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK_FILE).open("a") as lock:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    logger.warning("%s: still being written after %s s; writing it too",
                                   folder, WAIT_SECONDS)  # fmt: skip
                    break
                time.sleep(0.02)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write(path, first, chunks):
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
        if other.name not in (version, LOCK_FILE) and not _in_progress(other):
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
            if path.name == LOCK_FILE:
                continue
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
            (folder / LOCK_FILE).unlink(missing_ok=True)
            folder.rmdir()  # refused if a file has come after all: then it stays
    except OSError:
        pass


def clear():
    shutil.rmtree(root(), ignore_errors=True)
