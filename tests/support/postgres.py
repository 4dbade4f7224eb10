"""The PostgreSQL server the tests use, if any: TEST_POSTGRESQL_URL names a throw-away database.

Without it the PostgreSQL tests skip with one line; `.ci/run` starts a server, sets the URL and
sets TEST_POSTGRESQL_REQUIRED, which turns that skip into a failure.
"""

from __future__ import annotations

import os

import psycopg
import pytest

URL_VARIABLE = "TEST_POSTGRESQL_URL"
REQUIRED_VARIABLE = "TEST_POSTGRESQL_REQUIRED"


def empty_database() -> str:
    """The URL of the test database, emptied of the bot's tables; or skip (fail when required)."""
    url = os.environ.get(URL_VARIABLE, "")
    problem = "" if url else f"{URL_VARIABLE} is not set"
    if url:
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
                connection.execute("DROP TABLE IF EXISTS sessions, schema_version")
        except psycopg.Error as error:
            problem = f"cannot use {URL_VARIABLE}: {type(error).__name__}"
    if problem and os.environ.get(REQUIRED_VARIABLE):
        pytest.fail(f"PostgreSQL is required here ({REQUIRED_VARIABLE}) but {problem}")
    if problem:
        pytest.skip(f"no PostgreSQL server ({problem}; see .ci/run)")
    return url
