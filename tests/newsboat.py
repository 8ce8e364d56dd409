"""Newsboat (Debian's package, installed by `make test`) driven headlessly, as a subscriber
uses it: subscribe to a feed, reload, read everything, reload again and see what is new.

Everything newsboat reads or writes lives under the test's tmp_path: its urls, config and
cache files are passed on the command line, and HOME and the XDG directories point there
too, so nothing of the user's own newsboat is read or touched.

What the subscriber sees is read from newsboat's cache (SQLite), the file newsboat itself
fills on reload and reads to show its lists: one row of `rss_item` per article, with
`unread` as newsboat's own read flag.

What newsboat 2.21 does when a feed changes (tests/test_newsboat_harness.py shows it):

- An item with a guid (RSS <guid>, Atom <id>) it has not seen is a new, unread article.
- An item with a guid it has seen gets its title, link and content replaced in the cache,
  silently: it keeps its read flag. A correction under the same guid reaches a reader who
  has read the item with no sign of it, unless the reader opted in with
  `reset-unread-on-update <url>` (here `Newsboat(tmp_path, reset_unread_on_update=True)`),
  which marks an item unread again when its content changed (a new title alone does not).
- The date is the one of the item's first download, kept for good: RSS <pubDate>; Atom
  <published>, else <updated>; else the time of the download. A changed Atom <updated>
  changes nothing at all, with or without reset-unread-on-update.
- Conditional GET: newsboat keeps a feed's ETag and Last-Modified and sends them back as
  If-None-Match and If-Modified-Since (with `A-IM: feed`); a 304 leaves the cache as it
  is. It does not keep those of a feed's first download (the feed's row is written after
  them), so conditional requests begin with the third download.
"""

import contextlib
import datetime as dt
import os
import sqlite3
import subprocess
from pathlib import Path

EXECUTABLE = "/usr/bin/newsboat"
CONFIG = """\
# one download at a time, each tried once, the same on every machine
reload-threads 1
download-retries 1
download-timeout 10
# RSS items show their <description> after <content:encoded>, so both reach `content`
always-display-description yes
# keep everything in the cache; write no history files
cleanup-on-quit no
keep-articles-days 0
max-items 0
history-limit 0
# newsboat -x reload exits 0 when a feed fails; it says so only here
error-log "{error_log}"
"""


class NewsboatError(AssertionError):
    """Newsboat failed, or could not download or read a feed."""


class Newsboat:
    """One subscriber's newsboat, with its urls, config and cache under tmp_path."""

    def __init__(self, tmp_path, *, reset_unread_on_update=False):
        assert os.access(EXECUTABLE, os.X_OK), "make test installs Debian's newsboat"
        self.root = Path(tmp_path) / "newsboat"
        self.root.mkdir(parents=True, exist_ok=True)
        self.urls_file = self.root / "urls"
        self.cache_file = self.root / "cache.db"
        self.config_file = self.root / "config"
        self.error_log = self.root / "error.log"
        self.reset_unread_on_update = reset_unread_on_update
        self.urls = []

    def subscribe(self, url):
        """Add a feed to the urls file (newsboat downloads it on the next reload)."""
        self.urls.append(url)
        self.urls_file.write_text("".join(f"{u}\n" for u in self.urls))
        config = CONFIG.format(error_log=self.error_log)
        if self.reset_unread_on_update:
            config += "".join(f'reset-unread-on-update "{u}"\n' for u in self.urls)
        self.config_file.write_text(config)

    def run(self, *arguments, timeout=60):
        """Run newsboat with this subscriber's files; its stdout, or NewsboatError."""
        home = str(self.root)
        environment = {
            "PATH": "/usr/bin:/bin",
            "HOME": home,
            "XDG_CONFIG_HOME": os.path.join(home, ".config"),
            "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
            "XDG_CACHE_HOME": os.path.join(home, ".cache"),
            "LANG": "C.UTF-8",
            "TZ": "UTC",
        }  # and no http(s)_proxy: the feeds are on 127.0.0.1
        command = [EXECUTABLE, "-u", self.urls_file, "-c", self.cache_file,
                   "-C", self.config_file, *arguments]  # fmt: skip
        try:
            done = subprocess.run(command, env=environment, capture_output=True, text=True,
                                  timeout=timeout, cwd=self.root)  # fmt: skip
        except subprocess.TimeoutExpired as error:
            raise NewsboatError(f"newsboat {' '.join(arguments)} timed out") from error
        if done.returncode != 0:
            raise NewsboatError(
                f"newsboat {' '.join(arguments)} exited {done.returncode}:\n"
                f"{done.stderr}{done.stdout}"
            )
        return done.stdout

    def reload(self):
        """Download every subscribed feed: `newsboat -x reload`.

        Newsboat exits 0 even when a download or the feed's XML fails; it only writes
        such errors to its error-log, so a new line there fails the reload."""
        before = self.error_log.read_text() if self.error_log.exists() else ""
        self.run("-x", "reload")
        after = self.error_log.read_text() if self.error_log.exists() else ""
        if after != before:
            raise NewsboatError(after[len(before) :].strip())

    def mark_all_read(self):
        """Mark every article read, as the reader's "mark all feeds read" would.

        `-x` knows only "reload" and "print-unread", so this uses newsboat's other
        unattended way to set read flags: `-I FILE` ("import list of read articles"),
        which marks read every article whose guid is a line of FILE, in newsboat's own
        cache code (`UPDATE rss_item SET unread = 0 WHERE unread = 1 AND guid IN (...)`,
        the flag newsboat shows)."""
        guids = self.root / "read-articles"
        guids.write_text("".join(item["guid"] + "\n" for item in self.unread()))
        self.run("-I", guids)
        assert not self.unread(), "newsboat left articles unread"

    def unread_count(self):
        """Newsboat's own count of unread articles: `newsboat -x print-unread`."""
        return int(self.run("-x", "print-unread").split()[0])

    def items(self):
        """Every article newsboat shows, newest first, as dicts.

        guid, title, url, author, content, date (an aware datetime, see above), unread
        (bool) and feed (the subscribed URL). content is what newsboat shows as the
        article: Atom <content>, else <summary>; RSS <content:encoded> + "<hr>" +
        <description> (always-display-description), or <description> alone."""
        if not self.cache_file.exists():
            return []
        uri = f"file:{self.cache_file}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
            rows = connection.execute(
                "SELECT guid, title, url, author, content, pubDate, unread, feedurl "
                "FROM rss_item WHERE deleted = 0 ORDER BY pubDate DESC, id DESC"
            ).fetchall()
        return [
            {
                "guid": guid,
                "title": title,
                "url": url,
                "author": author,
                "content": content,
                "date": dt.datetime.fromtimestamp(date, dt.UTC),
                "unread": bool(unread),
                "feed": feed,
            }
            for guid, title, url, author, content, date, unread, feed in rows
        ]

    def unread(self):
        """The articles newsboat shows as unread, newest first."""
        return [item for item in self.items() if item["unread"]]
