"""Every kind of page passes the Nu Html Checker (vnu, from package.json) without errors."""

import json
import shutil
import subprocess

import pytest
from django.conf import settings

from events.models import Correction, Event

VNU = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SEED = "/timelines/nordkorea-soldaten-russland/"


@pytest.fixture
def varied_seed(seed, make_event):
    """The seed with a retraction, a correction, a draft and Markdown in a body."""
    Event.objects.get(slug="austin-rom").retract("Falsch zugeordnet.")
    kirby = Event.objects.get(slug="kirby-washington")
    kirby.body = (
        "## Hintergrund\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<iframe src=x></iframe> *kursiv*"
    )
    kirby.save()
    Correction.objects.create(event=kirby, text="Zahl präzisiert.")
    make_event(timeline=seed, title="Entwurf", slug="entwurf")
    return seed


def test_pages_are_valid_html(client, editor, varied_seed, tmp_path):
    assert shutil.which("java"), "vnu needs Java"
    assert VNU.exists(), "run `make install` (npm ci) to get vnu"
    pages = {
        "home": ("/", {}),
        "timeline": (SEED, {}),
        "timeline-en": (SEED, {"lang": "en"}),
        "filtered": (SEED, {"tag": "stellungnahme", "q": "Rom <b>"}),
        "empty": (SEED, {"q": "nichts-passt"}),
        "event": (SEED + "kirby-washington/", {}),
        "retracted": (SEED + "austin-rom/", {}),
        "not-found": ("/timelines/gibt-es-nicht/", {}),
        "embed": (SEED + "embed/", {}),
        "api-reference": ("/api/docs/", {}),
    }
    files = []
    for name, (url, params) in pages.items():
        response = client.get(url, params)
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    client.force_login(editor)
    preview = tmp_path / "draft-preview.html"
    preview.write_bytes(client.get(SEED + "entwurf/").content)
    files.append(str(preview))
    forbidden = tmp_path / "forbidden.html"
    kirby = Event.objects.get(slug="kirby-washington")
    forbidden.write_bytes(client.get(f"/admin/events/event/{kirby.pk}/delete/").content)
    files.append(str(forbidden))

    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
    ]
    assert errors == []
