"""The cache on disk: objects kept between starts, rebuilt when what made them changes."""

from bot.disk_cache import kept_object
from bot.matcher import Matcher
from bot.paths import PROJECT_ROOT

QUESTIONS = PROJECT_ROOT / "dialogues" / "questions.yaml"
CODE = PROJECT_ROOT / "bot" / "matcher"


def test_an_object_is_built_once_then_read_back_until_its_input_changes(tmp_path):
    builds = []

    def build(value):
        builds.append(value)
        return {"value": value}

    assert kept_object(tmp_path, "thing", "input 1", lambda: build(1), code_folder=CODE) == {
        "value": 1
    }
    assert kept_object(tmp_path, "thing", "input 1", lambda: build(2), code_folder=CODE) == {
        "value": 1
    }
    assert kept_object(tmp_path, "thing", "input 2", lambda: build(3), code_folder=CODE) == {
        "value": 3
    }
    assert builds == [1, 3]


def test_a_damaged_file_is_rebuilt_and_an_unwritable_folder_only_costs_time(tmp_path):
    kept_object(tmp_path, "thing", "input", lambda: "first", code_folder=CODE)
    (damaged,) = tmp_path.glob("thing-*.pickle")
    damaged.write_bytes(b"not a pickle")
    assert kept_object(tmp_path, "thing", "input", lambda: "again", code_folder=CODE) == "again"
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert (
        kept_object(blocker / "cache", "thing", "input", lambda: "built", code_folder=CODE)
        == "built"
    )


def test_an_edit_to_the_code_that_built_an_object_rebuilds_it(tmp_path):
    code = tmp_path / "package"
    code.mkdir()
    (code / "reader.py").write_text("VERSION = 1\n")
    cache = tmp_path / "cache"
    assert kept_object(cache, "thing", "input", lambda: "first", code_folder=code) == "first"
    assert kept_object(cache, "thing", "input", lambda: "again", code_folder=code) == "first"
    (code / "reader.py").write_text("VERSION = 2\n")
    assert kept_object(cache, "thing", "input", lambda: "rebuilt", code_folder=code) == "rebuilt"


def test_lexical_indexes_read_back_match_like_freshly_built_ones(tmp_path):
    questions = [
        ("Comment m'opposer ?", "fr"),
        ("r my insta pics used", "en"),  # typo correction and aliases live in the cached analyser
        ("Est-ce que mes messages privés sont lus ?", "fr"),
        ("reset my password", "en"),
    ]
    built = Matcher.load(QUESTIONS, semantic=False, cache=tmp_path)
    read_back = Matcher.load(QUESTIONS, semantic=False, cache=tmp_path)
    assert len(list(tmp_path.glob("lexical-*.pickle"))) == 1
    assert read_back.match_all(questions) == built.match_all(questions)


def test_a_new_version_replaces_the_older_one_and_no_temporary_file_is_left(tmp_path):
    kept_object(tmp_path, "thing", "input 1", lambda: 1, code_folder=CODE)
    kept_object(tmp_path, "thing", "input 2", lambda: 2, code_folder=CODE)
    kept_object(tmp_path, "other", "input", lambda: 3, code_folder=CODE)
    names = sorted(path.name.split("-")[0] for path in tmp_path.iterdir())
    assert names == ["other", "thing"]
