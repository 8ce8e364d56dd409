"""Our calendars in khal (Debian's package, installed by `make test`), as a subscriber
uses it: a downloaded event goes into a calendar they already have, and the
timeline's calendar says on every day of a period that its date is approximate."""

import shutil
import subprocess

import pytest

SEED = "/timelines/nordkorea-soldaten-russland/"
CONFIG = """[calendars]
[[zeitung]]
path = {root}/zeitung
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = Europe/Berlin
default_timezone = Europe/Berlin
[default]
default_calendar = zeitung
[sqlite]
path = {root}/khal.db
"""


@pytest.fixture
def khal(tmp_path):
    """khal with one calendar of the reader's own, "zeitung"."""
    assert shutil.which("khal"), "make test installs Debian's khal"
    (tmp_path / "zeitung").mkdir()
    config = tmp_path / "config"
    config.write_text(CONFIG.format(root=tmp_path))

    def run(*arguments):
        done = subprocess.run(["khal", "-c", str(config), *arguments], capture_output=True,
                              text=True, timeout=60, env={"HOME": str(tmp_path), "LANG": "C.UTF-8"})  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    return tmp_path, run


def test_a_downloaded_event_goes_into_the_reader_s_own_calendar(client, seed, khal):
    root, run = khal
    event = root / "kirby-washington.ics"
    event.write_bytes(client.get(SEED + "kirby-washington.ics").content)
    run("import", "--batch", "-a", "zeitung", str(event))
    assert run("printcalendars").split() == ["zeitung"]  # no calendar of its own
    assert len(list((root / "zeitung").glob("*.ics"))) == 1
    listed = run("list", "2024-10-23", "1d")
    assert "John Kirby: Mindestens 3.000 nordkoreanische Soldaten in Russland" in listed


def test_the_timeline_s_calendar_says_which_dates_are_approximate(client, seed, khal):
    root, run = khal
    calendar = root / "calendar.ics"
    calendar.write_bytes(client.get(SEED + "calendar.ics").content)
    run("import", "--batch", "-a", "zeitung", str(calendar))
    day = run("list", "2024-10-15", "1d")  # a day inside October and its middle third
    assert "≈ Oktober 2024: Weiterreise zu Ausbildungsstätten im Osten Russlands" in day
    assert "≈ Mitte Oktober 2024: Weitere Schiffstransporte nach Wladiwostok" in day
    assert "Erste Schiffe" not in day  # early October ended on the 10th
    exact = run("list", "2024-10-23", "1d")
    assert "John Kirby: Mindestens 3.000 nordkoreanische Soldaten in Russland" in exact
    assert "≈ 23" not in exact  # a day is no approximation
