"""A digest of everything that shapes what readers get, besides the data itself:

- the code, the templates and the translations (their bytes);
- the installed versions of the packages that write output (Django, feedgen,
  icalendar, Markdown, nh3, lxml, …): an upgrade may change a single byte of a feed;
- the settings that appear in documents (the newsroom's name and description, the
  site language and time zone, the languages offered).

It is part of every ETag and of every cache key of pages and documents, so a
deploy that changes any of them never serves what the old release rendered under a new
ETag (and one that changes nothing keeps every cache).
"""

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.utils import translation

SUFFIXES = {".py", ".html", ".txt", ".mo"}
# Packages whose code writes bytes of some output.
RENDERING_PACKAGES = ("Django", "djangorestframework", "feedgen", "icalendar", "Markdown",
                      "nh3", "lxml", "python-dateutil", "tzdata")  # fmt: skip
# Settings whose values appear in documents.
RENDERED_SETTINGS = ("NEWSROOM_NAME", "NEWSROOM_DESCRIPTION", "LANGUAGE_CODE", "LANGUAGES",
                     "TIME_ZONE", "STATIC_URL", "WEBSUB_HUBS")  # fmt: skip


def _source_files():
    base = Path(settings.BASE_DIR)
    roots = [Path(__file__).parent, base / "templates", *map(Path, settings.LOCALE_PATHS)]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                yield path


def package_versions(names=RENDERING_PACKAGES):
    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "-"
    return found


def rendered_settings(names=RENDERED_SETTINGS):
    """The settings' values as text. Translatable values (the names in LANGUAGES) are
    read untranslated: read in the active language, the version changed with the
    language of whatever request ran last in the worker."""
    with translation.override(None):
        return {name: repr(getattr(settings, name, None)) for name in names}


def digest(files=None, packages=RENDERING_PACKAGES, setting_names=RENDERED_SETTINGS):
    """A digest of `files` (paths; by default all code, templates and translations),
    the versions of `packages` and the values of the settings named."""
    base = Path(settings.BASE_DIR)
    found = hashlib.sha256()
    for path in _source_files() if files is None else files:
        name = str(Path(path).resolve().relative_to(base))
        found.update(name.encode() + b"\0" + Path(path).read_bytes() + b"\0")
    for name, value in [*package_versions(packages).items(),
                        *rendered_settings(setting_names).items()]:  # fmt: skip
        found.update(f"{name}={value}\0".encode())
    return found.hexdigest()[:12]


OUTPUT_VERSION = digest()
