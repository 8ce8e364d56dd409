"""What output depends on besides the data is named in every key: code, the versions
of the packages that render output, and the settings that appear in documents."""

from events import output_version


def test_a_changed_setting_that_appears_in_documents_changes_the_version(settings):
    before = output_version.digest()
    settings.NEWSROOM_NAME = "Ein anderer Name"
    assert output_version.digest() != before


def test_an_upgrade_of_a_rendering_package_changes_the_version(monkeypatch):
    before = output_version.digest()
    versions = output_version.package_versions()
    monkeypatch.setattr(
        output_version, "package_versions", lambda names=None: versions | {"feedgen": "9.9"}
    )
    assert output_version.digest() != before


def test_the_version_is_the_same_for_the_same_release():
    assert output_version.digest() == output_version.OUTPUT_VERSION


def test_the_version_does_not_follow_the_active_language():
    """LANGUAGES holds translatable names: read in the active language, the version
    changed after a request in English (every ETag with it)."""
    from django.utils import translation

    with translation.override("en"):
        english = output_version.digest()
    with translation.override("de"):
        assert output_version.digest() == english
