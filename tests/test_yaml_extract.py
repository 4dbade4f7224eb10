"""The Babel extractor for the dialogue YAML files, fed from memory as Babel's own tests do."""

import io

from babel.messages.extract import extract

from bot.i18n import extract_yaml

SAMPLE = b"""\
screens:
  menu:
    text: |
      Hello {name}.
    buttons: [[m]]
labels:
  m: Menu
  nested:
    - Inside a list
sources:
  - title: Irish DPC
    url: https://www.dataprotection.ie/
    checked: 2026-11-29
examples:
  en: [not a message]
"""


def test_extractor_yields_line_message_and_no_keyword():
    found = list(extract_yaml(io.BytesIO(SAMPLE), {}, [], {}))
    assert found == [
        (3, None, "Hello {name}.\n", []),
        (7, None, "Menu", []),
        (9, None, "Inside a list", []),
        (11, None, "Irish DPC", []),
    ]


def test_extractor_options_choose_keys_and_containers():
    options = {"keys": "url", "containers": ""}
    found = [
        message
        for _line, _func, message, _comments in extract_yaml(io.BytesIO(SAMPLE), {}, [], options)
    ]
    assert found == ["https://www.dataprotection.ie/"]


def test_babel_finds_the_extractor_by_entry_point():
    found = list(extract("gdpr_yaml", io.BytesIO(SAMPLE)))
    assert [message for _line, message, _comments, _context in found][:2] == [
        "Hello {name}.\n",
        "Menu",
    ]
