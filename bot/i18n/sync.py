"""Keep the PO catalogs in step with the YAML content (`gdpr-bot catalogs`).

Each dialogues/<name>.yaml is one gettext domain: its messages go to locales/<name>.pot and are merged
into locales/<lang>/LC_MESSAGES/<name>.po. English msgids are the source text, so the English
catalog is filled in automatically; new or changed French entries are left empty or fuzzy for a
translator, and `gdpr-bot check` reports them until they are done.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from bot.errors import ContentError
from bot.i18n.extract import extract_yaml
from bot.i18n.translations import LANGUAGES

SOURCE_LANGUAGE = "en"


def sync_catalogs(dialogues_dir: Path, locales_dir: Path) -> list[str]:
    """Extract every domain and update every language; returns one line per file written."""
    written = []
    for yaml_path in sorted(dialogues_dir.glob("*.yaml")):
        template = extract_template(yaml_path)
        if not len(template):
            continue
        domain = yaml_path.stem
        _write(locales_dir / f"{domain}.pot", template)
        written.append(f"{domain}.pot: {len(template)} messages")
        for lang in LANGUAGES:
            po_path = locales_dir / lang / "LC_MESSAGES" / f"{domain}.po"
            catalog = _updated(po_path, template, lang)
            _write(po_path, catalog)
            todo = sum(1 for m in catalog if m.id and (not m.string or m.fuzzy))
            written.append(f"{lang}/{domain}.po: {todo} to translate")
    return written


def extract_template(yaml_path: Path) -> Catalog:
    template = Catalog(project="gdpr-bot", domain=yaml_path.stem)
    try:
        messages = extract_from_file(
            extract_yaml, str(yaml_path), keywords={}, comment_tags=(), options={}
        )
    except yaml.YAMLError as error:
        raise ContentError(f"{yaml_path}: not valid YAML: {error}") from None
    for lineno, message, comments, _context in messages:
        template.add(message, locations=[(yaml_path.name, lineno)], auto_comments=comments)
    return template


def _updated(po_path: Path, template: Catalog, lang: str) -> Catalog:
    if po_path.exists():
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
    else:
        catalog = Catalog(locale=lang, project="gdpr-bot", domain=template.domain)
    # update() shares message objects with the template: give each language its own copy.
    catalog.update(copy.deepcopy(template), update_header_comment=True)
    catalog.obsolete.clear()
    if lang == SOURCE_LANGUAGE:
        for message in catalog:
            if message.id:
                message.string = message.id
                message.flags.discard("fuzzy")
    return catalog


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=False)
