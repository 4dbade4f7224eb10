"""Language negotiation and the catalogs: French for fr*, English otherwise, no missing entry."""

import datetime as dt
import shutil

import pytest
from babel.messages import pofile
from babel.messages.pofile import read_po

from bot.i18n import Catalogs, negotiate
from bot.paths import PROJECT_ROOT, ContentPaths
from tests.support.chat import run_cli


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("fr", "fr"),
        ("fr-FR", "fr"),
        ("fr-CA", "fr"),
        ("fr_BE", "fr"),
        ("en", "en"),
        ("en-GB", "en"),
        ("de", "en"),
        ("pt-BR", "en"),
        (None, "en"),
        ("", "en"),
        ("not a code!", "en"),
    ],
)
def test_language_negotiation(code, expected):
    assert negotiate(code) == expected


def test_dates_are_written_the_way_each_language_writes_them():
    catalogs = Catalogs.load(ContentPaths.from_environment().locales)
    day = dt.date(2026, 11, 29)
    assert catalogs.translator("fr").date(day) == "29 novembre 2026"
    assert catalogs.translator("en").date(day) == "29 November 2026"
    assert catalogs.translator("fr").date(dt.date(2026, 10, 1)) == "1er octobre 2026"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_catalog_entry_is_translated_and_not_fuzzy(lang):
    locales = ContentPaths.from_environment().locales
    files = sorted((locales / lang / "LC_MESSAGES").glob("*.po"))
    assert files
    for path in files:
        with path.open("rb") as handle:
            catalog = read_po(handle)
        untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        assert untranslated == [], f"{path.name}: {untranslated[:3]}"


def test_every_template_message_is_in_both_catalogs():
    locales = ContentPaths.from_environment().locales
    for template in sorted(locales.glob("*.pot")):
        with template.open("rb") as handle:
            wanted = {m.id for m in read_po(handle) if m.id}
        for lang in ("en", "fr"):
            with (locales / lang / "LC_MESSAGES" / f"{template.stem}.po").open("rb") as handle:
                present = {m.id for m in read_po(handle) if m.id}
            assert wanted <= present, (
                f"{lang}/{template.stem}.po lacks {sorted(wanted - present)[:3]}"
            )


def test_a_missing_translation_is_an_error_not_english():
    catalogs = Catalogs({"en": {"Hello": "Hello"}, "fr": {}})
    assert catalogs.missing(["Hello"]) == ["fr: no translation for 'Hello'"]
    with pytest.raises(Exception, match="no fr translation"):
        catalogs.translator("fr")("Hello")


def test_a_translation_that_changes_a_placeholder_is_a_problem():
    catalogs = Catalogs({"en": {"Hi {name}": "Hi {name}"}, "fr": {"Hi {name}": "Bonjour {nom}"}})
    assert catalogs.problems(["Hi {name}"]) == [
        "fr: the placeholders of 'Hi {name}' differ in translation"
    ]


def test_parsed_catalogs_are_kept_until_a_po_file_changes(tmp_path, monkeypatch):
    """A later start reads the parsed catalogs from the cache; an edited entry is read afresh,
    and a fuzzy one still counts as missing."""
    for lang, text in (("en", "Hello"), ("fr", "Bonjour")):
        folder = tmp_path / "locales" / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "flow.po").write_text(f'msgid "Hello"\nmsgstr "{text}"\n', encoding="utf-8")
    cache = tmp_path / "cache"
    assert Catalogs.load(tmp_path / "locales", cache).translator("fr")("Hello") == "Bonjour"
    assert [path.name.split("-")[0] for path in cache.iterdir()] == ["catalogs"]
    parse = pofile.read_po
    monkeypatch.setattr(pofile, "read_po", None)  # a parse would now fail
    assert Catalogs.load(tmp_path / "locales", cache).translator("fr")("Hello") == "Bonjour"
    monkeypatch.setattr(pofile, "read_po", parse)
    french = tmp_path / "locales" / "fr" / "LC_MESSAGES" / "flow.po"
    french.write_text('msgid "Hello"\nmsgstr "Salut"\n', encoding="utf-8")
    assert Catalogs.load(tmp_path / "locales", cache).translator("fr")("Hello") == "Salut"
    french.write_text('#, fuzzy\nmsgid "Hello"\nmsgstr "Salut"\n', encoding="utf-8")
    assert Catalogs.load(tmp_path / "locales", cache).missing(["Hello"]) == [
        "fr: no translation for 'Hello'"
    ]
    assert len(list(cache.iterdir())) == 1  # each new version replaces the older one


def test_the_catalogs_command_runs_on_a_copy_of_the_content(tmp_path):
    """`gdpr-bot catalogs` reaches the sync (its import once gave the module, not the function)."""
    for folder in ("dialogues", "locales"):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder)
    before = _translations(tmp_path / "locales")
    status, _out, err = run_cli("catalogs", content_root=tmp_path)
    assert (status, err) == (0, "")
    assert _translations(tmp_path / "locales") == before  # in sync already: nothing to change


def _translations(locales) -> dict:
    """Every catalog's entries, msgid -> translation (the headers carry the run's date)."""
    entries = {}
    for path in sorted(locales.rglob("*.po")):
        with path.open("rb") as handle:
            entries[path.name + path.parent.parent.name] = {
                m.id: m.string for m in read_po(handle) if m.id
            }
    return entries
