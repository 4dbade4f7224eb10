"""The question matcher: quality on the labelled set, robustness, languages, content errors."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import text_normalise
from bot.errors import ContentError
from bot.knowledge import Match, Matcher
from bot.paths import PROJECT_ROOT
from bot.topics import KnowledgeBase

QUESTIONS = PROJECT_ROOT / "dialogues" / "questions.yaml"
LABELLED = Path(__file__).parent / "data" / "labelled_questions.yaml"
TOPIC_IDS = sorted(KnowledgeBase.load(PROJECT_ROOT / "dialogues" / "topics.yaml").topics)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.load(QUESTIONS, topic_ids=TOPIC_IDS)


@pytest.fixture(scope="module")
def labelled() -> list[dict]:
    return yaml.safe_load(LABELLED.read_text(encoding="utf-8"))


def _rates(matcher: Matcher, items: list[dict]) -> dict[tuple[str, bool], float]:
    """(lang, in_scope) -> share of items answered right (in scope: the topic; else: none)."""
    right, total = Counter(), Counter()
    for item in items:
        key = (item["lang"], item["topic"] is not None)
        total[key] += 1
        right[key] += matcher.match(item["q"], item["lang"]).topic == item["topic"]
    return {key: right[key] / total[key] for key in total}


# --- quality on the labelled set --------------------------------------------------------------


def test_labelled_set_is_large_balanced_and_uses_known_topics(labelled):
    langs = Counter(item["lang"] for item in labelled)
    assert len(labelled) >= 300
    assert sum(item["topic"] is None for item in labelled) >= 60
    assert set(langs) == {"en", "fr"} and abs(langs["en"] - langs["fr"]) <= 0.1 * len(labelled)
    assert {item["topic"] for item in labelled} - {None} == set(TOPIC_IDS)


def test_labelled_questions_do_not_copy_the_matching_examples(labelled):
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    examples = [q for by_lang in data["topics"].values() for qs in by_lang.values() for q in qs]
    examples += [q for qs in data["out_of_scope"].values() for q in qs]
    example_sets = [set(_words(q)) for q in examples]
    for item in labelled:
        words = set(_words(item["q"]))
        # Share of words in common: above 0.6 it is a paraphrase of an example, not a new question.
        closest = max(len(words & other) / len(words | other) for other in example_sets)
        assert closest <= 0.6, f"too close to a matching example: {item['q']!r}"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_in_scope_questions_get_the_right_topic(matcher, labelled, lang):
    accuracy = _rates(matcher, labelled)[(lang, True)]
    print(f"\n{lang}: in-scope top-1 accuracy {accuracy:.1%}")
    assert accuracy >= 0.90


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_out_of_scope_questions_get_no_topic(matcher, labelled, lang):
    rejection = _rates(matcher, labelled)[(lang, False)]
    print(f"\n{lang}: out-of-scope rejection {rejection:.1%}")
    assert rejection >= 0.85


# --- what users really type ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plain", "messy", "lang"),
    [
        ("Quelles données Meta utilise-t-elle ?", "QUELLES DONNEES META UTILISE T ELLE", "fr"),
        ("Qu'est-ce que l'intérêt légitime ?", "qu est ce que l interet legitime", "fr"),
        ("Are my Instagram photos used?", "r my insta pics used", "en"),
        ("Are my private messages used?", "are my dms used", "en"),
        ("Mes messages privés sont utilisés ?", "mes mp sont utilisés ?", "fr"),
        ("How do I object to Meta?", "how do i objetc to meta", "en"),
        ("Comment m'opposer ?", "cmt jpeux m'oposer", "fr"),
    ],
)
def test_accents_elisions_nicknames_sms_and_typos_match_like_plain_text(
    matcher, plain, messy, lang
):
    expected = matcher.match(plain, lang).topic
    assert expected is not None
    assert matcher.match(messy, lang).topic == expected


def test_a_question_after_a_paragraph_of_context_is_found(matcher):
    context = (
        "Hello, I have been on Facebook since 2010 and I shared a lot of things over the years, "
        "holidays, birthdays, my garden, my dog. A colleague told me yesterday that everything "
        "is going to be used by artificial intelligence and I am a bit lost with all of this. "
    )
    assert matcher.match(context + "So where is the form to object?", "en").topic == "how_to_object"


def test_ten_thousand_characters_are_matched_quickly(matcher):
    text = "Je me pose beaucoup de questions sur mes photos. " * 200 + "Comment m'opposer ?"
    started = time.perf_counter()
    result = matcher.match(text, "fr")
    assert time.perf_counter() - started < 0.05
    assert isinstance(result, Match)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "🙂🙂🙂",
        "<b>How</b> do I <script>alert(1)</script> object?",
        "&lt;p&gt;&amp;&#x27;",
        "\x00\x01\x02 opt out \x7f\u200b\ufeff",
        "\ud800 lone surrogate",
        "ｆｕｌｌ ｗｉｄｔｈ ｆｏｒｍ",
        "a" * 20_000,
        "é" * 5_000,
        "?" * 3_000,
    ],
)
def test_odd_input_never_raises(matcher, text):
    for lang in ("en", "fr", "de", ""):
        result = matcher.match(text, lang)
        assert result.topic is None or result.topic in TOPIC_IDS
    assert matcher.detect_language(text) in {"en", "fr"}


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=400))
def test_any_text_gives_a_well_formed_match(matcher, text):
    result = matcher.match(text, "fr")
    assert result.topic is None or result.topic in TOPIC_IDS
    assert len(result.alternatives) <= 3
    assert not (result.topic and result.alternatives)


@pytest.mark.parametrize("text", ["hello", "merci !", "ok", "lol 😂", "asdfgh jkl"])
def test_small_talk_gets_no_topic_and_no_suggestion(matcher, text):
    result = matcher.match(text, "en")
    assert (result.topic, result.alternatives) == (None, ())


def test_another_company_s_service_is_out_of_scope(matcher):
    assert matcher.match("Does TikTok use my videos to train AI?", "en").topic is None
    assert matcher.match("Does Meta use my videos to train AI?", "en").topic == "data_used"


# --- language detection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Est-ce que Meta utilise mes photos ?", "fr"),
        ("jpeux m opposer stp", "fr"),
        ("Does Meta use my photos?", "en"),
        ("how do i opt out pls", "en"),
        ("Qu'en est-il de WhatsApp ?", "fr"),
    ],
)
def test_detect_language(matcher, text, lang):
    assert matcher.detect_language(text) == lang


def test_detect_language_falls_back_to_the_default_on_a_tie(matcher):
    assert matcher.detect_language("Meta", default="fr") == "fr"
    assert matcher.detect_language("", default="en") == "en"


def test_a_question_in_the_other_language_is_still_matched(matcher):
    assert matcher.match("Comment m'opposer à Meta ?", "en").topic == "how_to_object"


# --- content is data, checked at load ---------------------------------------------------------


def _write(tmp_path: Path, topics: dict, out_of_scope: dict | None = None) -> Path:
    path = tmp_path / "questions.yaml"
    document = {
        "topics": topics,
        "out_of_scope": out_of_scope or {"en": ["hello"], "fr": ["salut"]},
    }
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_an_unknown_topic_id_is_a_content_error_naming_file_and_topic(tmp_path):
    path = _write(tmp_path, {"weather": {"en": ["Will it rain?"], "fr": ["Va-t-il pleuvoir ?"]}})
    with pytest.raises(ContentError, match=r"questions\.yaml.*weather"):
        Matcher.load(path, topic_ids=["timeline"])


def test_an_empty_example_list_is_a_content_error(tmp_path):
    path = _write(tmp_path, {"timeline": {"en": ["When does it start?"], "fr": []}})
    with pytest.raises(ContentError, match=r"topics\.timeline\.fr"):
        Matcher.load(path)


def test_invalid_yaml_is_a_content_error_with_the_line(tmp_path):
    path = tmp_path / "questions.yaml"
    path.write_text("topics:\n  timeline: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"questions\.yaml:\d+"):
        Matcher.load(path)


def test_adding_a_phrasing_changes_the_answer_without_code(tmp_path):
    topics = {
        "timeline": {"en": ["When does the training start?"], "fr": ["Quand ça commence ?"]},
        "pets": {"en": ["Can I bring my dog?"], "fr": ["Et mon chien ?"]},
    }
    question = "Is my parrot's picture in there?"
    assert Matcher.load(_write(tmp_path, topics)).match(question, "en").topic is None
    topics["pets"]["en"].append("Are pictures of my parrot used?")
    assert Matcher.load(_write(tmp_path, topics)).match(question, "en").topic == "pets"


def _words(text: str) -> list[str]:
    return text_normalise.words(text_normalise.fold(text))
