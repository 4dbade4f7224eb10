import datetime as dt

import pytest

from bot.content import Content
from bot.dialogue import Dialogue
from bot.paths import ContentPaths

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="session")
def content():
    return Content.load(ContentPaths.from_environment())


@pytest.fixture(scope="session")
def dialogue(content):
    return Dialogue(content, today=lambda: TODAY, clock=lambda: 1_000.0)
