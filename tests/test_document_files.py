"""Documents are written once per version into this server's documents folder and
sent from there; the folder is trimmed; a disk that cannot keep them only slows
answers down; requests for a version being written wait for it."""

from django.core.cache import cache

from events import document_files
from events.exports import FORMATS


def forget_everything():
    """As after a deploy to new servers: no cache, no documents."""
    cache.clear()
    document_files.clear()


def edit(event, text):
    event.summary = text
    event.save()


def test_an_export_is_written_once_per_version_and_old_versions_go(client, timeline, many_events):
    events = many_events(3)
    url = timeline.export_url("calendar.ics")
    client.get(url)
    before = document_files.files()
    client.get(url)
    assert document_files.files() == before and len(before) == 1
    edit(events[0], "Neu.")
    assert b"Neu." in client.get(url).content
    after = document_files.files()
    assert len(after) == 1 and after != before  # the new version replaced the old one
    assert after[0].read_bytes() == client.get(url).content


def test_the_documents_folder_is_trimmed_oldest_first(client, timeline, many_events):
    many_events(3)
    for name in FORMATS:
        client.get(timeline.export_url(name))
    files = sorted(document_files.files(), key=lambda p: p.stat().st_mtime)
    total = sum(p.stat().st_size for p in files)
    document_files.trim(total - 1)
    left = sorted(document_files.files(), key=lambda p: p.stat().st_mtime)
    assert left and files[0] not in left and left == files[len(files) - len(left) :]
    assert sum(p.stat().st_size for p in left) <= (total - 1) * 3 // 4


def test_a_disk_that_cannot_keep_documents_only_slows_answers_down(
    client, timeline, many_events, settings, tmp_path
):
    many_events(3)
    url = timeline.export_url("calendar.ics")
    expected = client.get(url).content
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.DOCUMENTS_DIR = blocker / "documents"  # cannot be made: a file is in the way
    response = client.get(url)
    assert response.status_code == 200 and response.content == expected
    assert int(response["Content-Length"]) == len(expected)
    head = client.head(url)
    assert head.status_code == 200 and int(head["Content-Length"]) == len(expected)


def test_requests_for_a_document_being_written_wait_for_it(tmp_path, settings):
    """No stampede: eight requests at once for a version nobody has yet render it once;
    the others wait for the file and send the same bytes."""
    import threading
    import time

    settings.DOCUMENTS_DIR = tmp_path / "documents"
    started, finished = [], []

    def render():
        started.append(1)
        yield b"BEGIN:VCALENDAR\r\n"
        time.sleep(0.3)  # a slow document: the others arrive meanwhile
        finished.append(1)
        yield b"END:VCALENDAR\r\n"

    results = []

    def request():
        with document_files.open_document("d" * 32, "v" * 32, render) as file:
            results.append(file.read())

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"] * 8
    # Each request asks for the first chunk (a missing timeline must raise before any
    # folder is made), but only one goes on to render the document.
    assert len(started) > 1 and len(finished) == 1
    assert sorted((tmp_path / "documents" / ("d" * 32)).iterdir()) == [
        tmp_path / "documents" / ("d" * 32) / ".lock",
        tmp_path / "documents" / ("d" * 32) / ("v" * 32),
    ]


def test_a_missing_page_makes_no_folder(client, timeline):
    client.get(timeline.export_url("feed.rss") + "?tag=gibt-es-nicht")
    assert not document_files.root().exists() or not any(document_files.root().glob("*/.lock"))
