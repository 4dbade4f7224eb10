import pytest

from bot.engine import Dialogue, load_checked
from bot.paths import ContentPaths
from tests.support.chat import TODAY


@pytest.fixture(scope="session")
def content():
    return load_checked(ContentPaths.from_environment())


@pytest.fixture(scope="session")
def dialogue(content):
    return Dialogue(content, today=lambda: TODAY, clock=lambda: 1_000.0)


def pytest_addoption(parser):
    parser.addoption(
        "--long", action="store_true", help="run the fuzz tests with many more examples"
    )


def pytest_configure(config):
    from hypothesis import settings

    settings.register_profile("ci", max_examples=150, deadline=None)
    settings.register_profile("long", max_examples=3_000, deadline=None)
    settings.load_profile("long" if config.getoption("--long") else "ci")
