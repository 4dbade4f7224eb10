"""The question matcher: quality on the labelled, dev and blind sets, its rules, robustness,
languages, content errors."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine import KnowledgeBase
from bot.errors import ContentError
from bot.matcher import Matcher, text_normalise
from bot.matcher.example_index import ClassScore
from bot.matcher.question_data import (
    DOMAIN,
    ELSEWHERE,
    HINT,
    OFF_DOMAIN,
    TASK,
    Lexicon,
    read_question_data,
)
from bot.matcher.sentence_encoder import SentenceEncoder, cached_encode, shared_encoder
from bot.matcher.verdict import OUT_OF_SCOPE, Evidence, decide
from bot.matcher.word_analysis import Analyser
from bot.paths import PROJECT_ROOT

QUESTIONS = PROJECT_ROOT / "dialogues" / "questions.yaml"
LABELLED = Path(__file__).parent / "data" / "labelled_questions.yaml"
DEV = Path(__file__).parent / "data" / "dev_questions.yaml"
BLIND = Path(__file__).parent / "data" / "blind_questions.yaml"
BLIND_V11, BLIND_V12, BLIND_V13 = (
    Path(__file__).parent / "data" / f"blind_v{n}_questions.yaml" for n in (11, 12, 13)
)
TOPIC_IDS = sorted(KnowledgeBase.load(PROJECT_ROOT / "dialogues" / "topics.yaml").topics)


@pytest.fixture(scope="module")
def matcher(content) -> Matcher:
    """The bot's own matcher: examples, topic titles and answers, loaded once per session."""
    return content.matcher


@pytest.fixture(scope="module")
def labelled() -> list[dict]:
    return yaml.safe_load(LABELLED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dev() -> list[dict]:
    return yaml.safe_load(DEV.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def blind() -> list[dict]:
    return yaml.safe_load(BLIND.read_text(encoding="utf-8"))


def _rates(matcher: Matcher, items: list[dict]) -> dict[tuple[str, bool], float]:
    """(lang, in_scope) -> share of items answered right (in scope: the topic; else: none)."""
    right, total = Counter(), Counter()
    for item in items:
        key = (item["lang"], item["topic"] is not None)
        total[key] += 1
    for item, match in zip(
        items, matcher.match_all((i["q"], i["lang"]) for i in items), strict=True
    ):
        right[(item["lang"], item["topic"] is not None)] += match.topic == item["topic"]
    return {key: right[key] / total[key] for key in total}


# --- quality on the labelled set --------------------------------------------------------------


def test_labelled_set_is_large_balanced_and_uses_known_topics(labelled):
    langs = Counter(item["lang"] for item in labelled)
    assert len(labelled) >= 300
    assert sum(item["topic"] is None for item in labelled) >= 60
    assert set(langs) == {"en", "fr"} and abs(langs["en"] - langs["fr"]) <= 0.1 * len(labelled)
    assert {item["topic"] for item in labelled} - {None} == set(TOPIC_IDS)


@pytest.mark.parametrize(
    "path",
    [LABELLED, DEV, BLIND, BLIND_V11, BLIND_V12, BLIND_V13],
    ids=["labelled", "dev", "blind", "blind_v11", "blind_v12", "blind_v13"],
)
def test_matching_examples_do_not_copy_the_measured_questions(path):
    """Neither the examples nor the voices echo a measured message. Small talk ("hello",
    "merci") is a closed set that any two writers share: not checked."""
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    groups = [*data["topics"].values()]
    groups += [by_lang for action, by_lang in data["actions"].items() if action != "smalltalk"]
    examples = [q for by_lang in groups for qs in by_lang.values() for q in qs]
    examples += [q for qs in data["out_of_scope"].values() for q in qs]
    # The voices are matching data too (bot.voices): another writer's message may not echo one.
    for voices in sorted((PROJECT_ROOT / "dialogues" / "voices").glob("*.yaml")):
        items = yaml.safe_load(voices.read_text(encoding="utf-8"))
        examples += [item["q"] for item in items if item.get("action") != "smalltalk"]
    measured = [set(_words(item["q"])) for item in yaml.safe_load(path.read_text(encoding="utf-8"))]
    for example in examples:
        words = set(_words(example))
        # Share of words in common: above 0.6 it is a paraphrase of an example, not a new question.
        # The message names the example to reword, never the measured question: those stay unseen.
        closest = max(len(words & other) / len(words | other) for other in measured)
        assert closest <= 0.6, f"{path.name}: this example copies a measured question: {example!r}"


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


# --- figures on the dev set (the tuning set: reported, no floor) ---------------------------------


def test_dev_set_uses_known_topics_in_both_languages(dev):
    assert {item["lang"] for item in dev} == {"en", "fr"}
    assert {item["topic"] for item in dev} - {None} == set(TOPIC_IDS)
    assert sum(item["topic"] is None for item in dev) >= 0.3 * len(dev)


def test_dev_set_figures_are_reported(matcher, dev):
    _report("dev", _rates(matcher, dev))


# --- figures on the blind set (never tuned on, never read item by item: reported, no floor) ------


def test_blind_set_is_bilingual_and_uses_known_topics(blind):
    langs = Counter(item["lang"] for item in blind)
    assert set(langs) == {"en", "fr"} and abs(langs["en"] - langs["fr"]) <= 0.1 * len(blind)
    assert {item["topic"] for item in blind} - {None} <= set(TOPIC_IDS)
    assert sum(item["topic"] is None for item in blind) >= 0.3 * len(blind)


def test_blind_set_figures_are_reported(matcher, blind):
    _report("blind", _rates(matcher, blind))


def _report(name: str, rates: dict[tuple[str, bool], float]) -> None:
    for lang in ("en", "fr"):
        print(
            f"\n{name} {lang}: in-scope top-1 accuracy {rates[(lang, True)]:.1%}, "
            f"out-of-scope rejection {rates[(lang, False)]:.1%}"
        )


# --- the matching data agrees with itself --------------------------------------------------------


def test_every_example_gets_its_own_verdict(matcher):
    """Each topic example is answered by its topic, each action's request starts its action and
    each out-of-scope example gets neither: a rule or a concept that rules out a topic's own
    phrasing (stemming merged "loyer" into "loi") fails."""
    data = read_question_data(QUESTIONS, TOPIC_IDS)
    expected = [
        (q, lang, (t, None)) for t, by in data.topics.items() for lang, qs in by.items() for q in qs
    ]
    expected += [
        (q, lang, (None, a))
        for a, by in data.actions.items()
        for lang, qs in by.items()
        for q in qs
    ]
    expected += [(q, lang, (None, None)) for lang, qs in data.out_of_scope.items() for q in qs]
    found = matcher.match_all([(q, lang) for q, lang, _ in expected])
    wrong = [
        (q, want, (match.topic, match.action))
        for (q, _, want), match in zip(expected, found, strict=True)
        if (match.topic, match.action) != want
    ]
    assert wrong == []


def test_concepts_with_different_roles_never_share_a_stem():
    data = read_question_data(QUESTIONS, TOPIC_IDS)
    for lang, lexicon in data.lexicons.items():
        analyser = Analyser(lang, lexicon)
        clashes = {stem: roles for stem, roles in analyser.roles.items() if len(roles) > 1}
        assert clashes == {}, f"{lang}: one stem, several roles; reword a concept: {clashes}"


# --- the rules of the verdict ---------------------------------------------------------------------


def _scores(topic: float, off_topic_explained: float = 0.0) -> dict[str, ClassScore]:
    scores = {"timeline": ClassScore(overall=topic, nearest=topic, explained=0.5)}
    if off_topic_explained:
        scores[OUT_OF_SCOPE] = ClassScore(0.1, 0.1, off_topic_explained)
    return scores


def _evidence(*roles: str, meta: bool = False, other_service: bool = False) -> Evidence:
    return Evidence(frozenset(roles), names_meta=meta, names_other_service=other_service)


@pytest.mark.parametrize(
    ("evidence", "answered"),
    [
        (_evidence(ELSEWHERE), False),  # "Can my bank share my data?"
        (_evidence(ELSEWHERE, meta=True), False),  # "Can the police read my FB messages?"
        (_evidence(ELSEWHERE, HINT), False),  # "Does my gym use my photos?"
        (_evidence(ELSEWHERE, HINT, meta=True), True),  # "Our club's FB photos, used?"
        (_evidence(ELSEWHERE, DOMAIN), True),  # "The school's photos of my kids, in an AI?"
        (_evidence(HINT, other_service=True, meta=True), False),  # "Vinted or Instagram photos?"
        (_evidence(ELSEWHERE, DOMAIN, meta=True), True),  # "Can my boss see my objection to Meta?"
        (_evidence(DOMAIN, other_service=True), False),  # "Does ChatGPT train on my chats?"
        (_evidence(OFF_DOMAIN), False),  # "I forgot my password"
        (_evidence(OFF_DOMAIN, HINT), False),  # "Does Meta sell my data to advertisers?"
        (_evidence(OFF_DOMAIN, DOMAIN), True),  # "Will Meta AI use my chats for ads?"
        (_evidence(TASK), False),  # "How do I change the email on my account?"
        (_evidence(TASK, HINT), True),  # "Delete the data you stored about me"
        (_evidence(TASK, DOMAIN), True),  # "How do I turn off Meta AI?"
    ],
)
def test_another_organisation_or_a_chore_needs_the_bot_s_subject(evidence, answered):
    assert (decide(_scores(0.6), {}, evidence, {}).topic is not None) is answered


def test_nothing_but_names_or_numbers_gets_suggestions_not_an_answer():
    bare = Evidence(frozenset(), False, False, names_or_numbers_only=True)  # "12", "Instagram"
    unsure = decide(_scores(0.6), {}, bare, {})
    assert (unsure.topic, unsure.alternatives) == (None, ("timeline",))


def test_without_domain_or_hint_words_a_message_must_match_more_closely():
    assert decide(_scores(0.5), {}, _evidence(HINT), {}).topic == "timeline"
    unsure = decide(_scores(0.5), {}, _evidence(), {})
    assert (unsure.topic, unsure.alternatives) == (None, ("timeline",))


def test_the_out_of_scope_class_wins_when_it_scores_best():
    semantic = {"timeline": 0.3, OUT_OF_SCOPE: 1.0}
    assert decide(_scores(0.6), semantic, _evidence(DOMAIN), {}).topic is None
    semantic = {"timeline": 0.9, OUT_OF_SCOPE: 0.5}
    assert decide(_scores(0.6), semantic, _evidence(DOMAIN), {}).topic == "timeline"


def test_both_channels_add_up_and_a_close_runner_up_turns_the_answer_into_buttons():
    lexical = {"timeline": ClassScore(0.2, 0.2, 0.2), "minors": ClassScore(0.2, 0.2, 0.2)}
    assert decide(lexical, {}, _evidence(DOMAIN), {}).topic is None
    semantic = {"timeline": 0.7, "minors": 0.3}
    assert decide(lexical, semantic, _evidence(DOMAIN), {}).topic == "timeline"
    close = decide(lexical, {"timeline": 0.6, "minors": 0.59}, _evidence(DOMAIN), {})
    assert (close.topic, close.alternatives) == (None, ("timeline", "minors"))


def test_the_classifier_breaks_a_tie_between_classes_equally_near():
    lexical = {"timeline": ClassScore(0.2, 0.2, 0.2), "minors": ClassScore(0.2, 0.2, 0.2)}
    near = {"timeline": 0.6, "minors": 0.6}
    assert decide(lexical, near, _evidence(DOMAIN), {}).topic is None  # a tie: buttons
    sure_of_minors = {"minors": 0.9, "timeline": 0.1}
    assert decide(lexical, near, _evidence(DOMAIN), sure_of_minors).topic == "minors"


def test_the_classifier_never_overrules_a_veto_about_another_company():
    """It cannot see that "LinkedIn" is not Meta: with another company named, only a text nearly
    the message's own words (cosine) overrules the veto. A mere "club" or "school" is no
    company: there the classifier's share counts ("our club page posts photos of the kids")."""
    lexical = {"how_to_object": ClassScore(0.6, 0.6, 0.6)}
    sure = {"how_to_object": 0.95}  # 0.6 + 0.3 x 0.95 is past SAME_AS_EXAMPLE
    linkedin = _evidence(ELSEWHERE, DOMAIN, other_service=True)
    assert decide(lexical, {"how_to_object": 0.6}, linkedin, sure).topic is None
    assert decide(lexical, {"how_to_object": 0.9}, linkedin, sure).topic == "how_to_object"
    club = _evidence(ELSEWHERE, HINT)
    assert decide(lexical, {"how_to_object": 0.6}, club, {}).topic is None
    assert decide(lexical, {"how_to_object": 0.6}, club, sure).topic == "how_to_object"


def test_an_answer_brings_the_topics_that_scored_almost_as_well_but_no_action():
    lexical = {
        "timeline": ClassScore(0.9, 0.9, 0.9),
        "minors": ClassScore(0.8, 0.8, 0.8),  # within NEARBY of the best: offered
        "action:forget": ClassScore(0.85, 0.85, 0.85),  # an action is never a related topic
        "whatsapp": ClassScore(0.35, 0.35, 0.35),  # too far below
    }
    match = decide(lexical, {}, _evidence(DOMAIN), {})
    assert (match.topic, match.alternatives) == ("timeline", ("minors",))


def test_a_request_for_an_action_is_an_action_even_without_the_subject_s_words():
    lexical = {"action:forget": ClassScore(0.5, 0.5, 0.5)}
    match = decide(lexical, {"action:forget": 0.8}, _evidence(TASK), {})
    assert (match.topic, match.action) == (None, "forget")


@pytest.mark.parametrize(
    ("question", "lang", "topic"),
    [
        ("Does Meta read my Messenger chats to train its AI?", "en", "private_messages"),
        ("Can hackers read my Messenger chats?", "en", None),
        ("Meta lit mes conversations Messenger pour entraîner son IA ?", "fr", "private_messages"),
        ("Can my bank sell my personal data?", "en", None),
        ("Ma banque peut revendre mes données ?", "fr", None),
        ("mon mot de passe facebook ne marche plus", "fr", None),
        ("What about Canada?", "en", "outside_eu"),
        ("Et les enfants ?", "fr", "minors"),
        # A task on an account or app is a chore unless the message hints at the subject.
        ("Comment modifier ma date de naissance sur Insta ?", "fr", None),
        ("How do I rename my Facebook page?", "en", None),
        ("What does this bot keep about me once I erase my data?", "en", "bot_privacy"),
        # Objecting to something else than Meta, and who refuses what.
        ("faire opposition à un chèque volé", "fr", None),
        ("Je refuse que Meta se serve de mes photos, je fais comment ?", "fr", "how_to_object"),
        ("Meta a-t-il le droit de refuser mon opposition ?", "fr", "meta_review"),
        # The subject's own words never veto: a doctor in a chat on Messenger, the most common
        # question of all (issue 11).
        ("Meta peut lire ce que j'écris à mon médecin sur Messenger ?", "fr", "private_messages"),
        ("meta peut utiliser mes photos ?", "fr", "data_used"),
        # A year before the training plans means old content.
        ("Mes publications de 2013 servent à entraîner Llama ?", "fr", "data_used"),
    ],
)
def test_near_misses_follow_ups_and_other_organisations(matcher, question, lang, topic):
    assert matcher.match(question, lang).topic == topic


@pytest.mark.parametrize(
    "question", ["réclamation cnil", "porter plainte cnil", "je veux porter plainte à la CNIL"]
)
def test_a_complaint_to_the_authority_is_never_vetoed(matcher, question):
    """Words of the bot's own subject: the complaint topic answers, or the complaint's draft starts."""
    match = matcher.match(question, "fr")
    assert (match.topic, match.action) in {("complaint", None), (None, "draft_complaint")}


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


def _analyser(*known_words: str, names: tuple[str, ...] = ()) -> Analyser:
    analyser = Analyser("en", Lexicon(aliases={}, stopwords=(), suffixes=(), concepts=()), names)
    analyser.learn(known_words)
    analyser.seal()
    return analyser


def test_typos_are_corrected_but_not_into_another_real_word():
    analyser = _analyser("object", "policy", "paid", "data")
    assert analyser.terms(["objetc"]) == analyser.terms(["object"])
    assert analyser.terms(["dtaa"]) == analyser.terms(["data"])
    # One letter changed at the end of a short word, or in a four-letter word: another word.
    assert analyser.terms(["police"]) != analyser.terms(["policy"])
    assert analyser.terms(["said"]) != analyser.terms(["paid"])


def test_brand_names_are_not_stemmed():
    french = Analyser("fr", Lexicon(aliases={}, stopwords=(), suffixes=(), concepts=()), ["meta"])
    assert french.stem("meta") == "meta"
    assert french.stem("mets") != french.stem("meta")


def test_ten_thousand_characters_are_matched_on_their_head_and_tail_only(matcher):
    """The work is bounded whatever the length (bench/bench_ask.py prints the time it takes)."""
    text = "Je me pose beaucoup de questions sur mes photos. " * 200 + "Comment m'opposer ?"
    result = matcher.match(text, "fr")
    assert result == matcher.match(text_normalise.bounded(text), "fr")
    assert "how_to_object" in (result.topic, *result.alternatives)


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
    assert set(result.alternatives) <= set(TOPIC_IDS) - {result.topic}
    assert not (result.action and result.alternatives)


@pytest.mark.parametrize("text", ["hello", "merci !", "ok", "thanks a lot!", "bonjour"])
def test_small_talk_is_an_action_with_no_topic_and_no_suggestion(matcher, text):
    result = matcher.match(text, "en")
    assert (result.topic, result.alternatives, result.action) == (None, (), "smalltalk")


def test_a_closing_thank_you_does_not_make_a_long_question_small_talk(matcher):
    thanks = "Thank you so much, have a lovely day."
    question = (
        "My brother runs the village football club page and keeps posting team photos where I "
        "stand in the second row. Does my objection stop Meta from training on those? "
    )
    alone = matcher.scores(thanks, "en").semantic["action:smalltalk"]
    closing = matcher.scores(question + thanks, "en")
    # the closing sentence is embedded on its own too, but small talk counts the whole message
    assert closing.semantic["action:smalltalk"] < alone - 0.1
    assert matcher.match(question + thanks, "en").action is None


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("👍", "smalltalk"),
        ("🙏🏽 !", "smalltalk"),
        ("❤️👌", "smalltalk"),
        ("😡", None),
        ("?!", None),
    ],
)
def test_a_message_with_no_word_is_small_talk_only_when_its_emoji_acknowledge(
    matcher, text, action
):
    result = matcher.match(text, "fr")
    assert (result.topic, result.alternatives, result.action) == (None, (), action)


@pytest.mark.parametrize(
    ("text", "emoji"),
    [
        ("👍🏽!", {"👍"}),  # a skin tone and punctuation aside
        ("❤️ ❤️", {"❤"}),  # the variation selector aside
        ("👨‍👩‍👧", {"👨", "👩", "👧"}),  # a sequence joined by zero-width joiners
        ("🇫🇷", {"🇫", "🇷"}),  # a flag is two regional indicators
        ("1️⃣", None),  # a keycap is a digit
        ("ok 👍", None),
        ("\ud800👍", None),  # a lone surrogate
        ("", None),
        ("!!", None),
    ],
)
def test_pictographs_are_those_of_a_message_made_of_nothing_else(text, emoji):
    found = text_normalise.pictographs(text)
    assert found == (None if emoji is None else frozenset(emoji))


@pytest.mark.parametrize(
    ("text", "lang", "action"),
    [
        ("can you write the letter for me", "en", "draft_objection"),
        ("tu peux écrire la lettre pour moi", "fr", "draft_objection"),
        ("rédige ma lettre", "fr", "draft_objection"),
        ("i want to object", "en", "draft_objection"),
        ("write a complaint to the regulator for me", "en", "draft_complaint"),
        ("en anglais svp", "fr", "language"),
        ("delete everything you have on me", "en", "forget"),
    ],
)
def test_typed_requests_for_an_action_are_recognised(matcher, text, lang, action):
    assert matcher.match(text, lang).action == action


def test_gibberish_gets_nothing(matcher):
    result = matcher.match("asdfgh jkl", "en")
    assert (result.topic, result.alternatives, result.action) == (None, (), None)


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


def test_an_unknown_concept_role_is_a_content_error_naming_the_concept(tmp_path):
    path = _write(tmp_path, {"timeline": {"en": ["When?"], "fr": ["Quand ?"]}})
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["lexicon"] = {"concepts": {"dates": {"role": "important", "en": ["date"]}}}
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(ContentError, match=r"lexicon\.concepts\.dates\.role"):
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


# --- the semantic channel's cache ------------------------------------------------------------


def test_embeddings_are_cached_by_content_and_rebuilt_when_it_changes(tmp_path):
    """An empty cache folder is filled; the same texts are read back; other texts get a new file,
    which replaces the older one."""
    encoder = shared_encoder()
    texts = ["Can Meta use my photos?", "Est-ce que Meta lit mes messages ?"]
    first = cached_encode(encoder, texts, tmp_path)
    files = sorted(tmp_path.glob("embeddings-*.npy"))
    assert len(files) == 1 and first.shape == (2, 512)
    assert (cached_encode(encoder, texts, tmp_path) == first).all()
    assert sorted(tmp_path.glob("embeddings-*.npy")) == files
    cached_encode(encoder, [*texts, "When did it start?"], tmp_path)
    (replaced,) = tmp_path.glob("embeddings-*.npy")  # the older file is removed
    assert [replaced] != files


def test_a_matcher_built_with_an_empty_cache_matches_like_one_with_a_warm_cache(tmp_path):
    topics = {
        "timeline": {"en": ["When does the training start?"], "fr": ["Quand ça commence ?"]},
        "pets": {"en": ["Can I bring my dog?"], "fr": ["Et mon chien ?"]},
    }
    path = _write(tmp_path, topics)
    cold = Matcher.load(path, cache=tmp_path / "cache")
    warm = Matcher.load(path, cache=tmp_path / "cache")
    question = "when does it begin"
    assert cold.match(question, "en") == warm.match(question, "en")
    assert cold.match(question, "en").topic == "timeline"


def test_an_unwritable_cache_folder_only_costs_time(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    vectors = cached_encode(shared_encoder(), ["Can Meta use my photos?"], blocker / "cache")
    assert vectors.shape == (1, 512)


def test_the_encoder_read_from_its_snapshot_encodes_like_the_one_built_from_the_wheel(tmp_path):
    """With nowhere to save a snapshot the backend is built from the wheel; with a folder, the
    first encoder builds and saves it, then reads it back memory-mapped, as every later one does."""
    texts = ["Can Meta use my photos?", "Et mes messages privés ?", "ok " * 200]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    from_wheel = SentenceEncoder(blocker / "cache")
    first = SentenceEncoder(tmp_path / "cache")
    assert sorted(path.name.rsplit("-", 1)[1] for path in (tmp_path / "cache").iterdir()) == [
        "layers.npz",
        "table.npy",
    ]
    later = SentenceEncoder(tmp_path / "cache")
    assert isinstance(first._model._backend.table, np.memmap)
    assert np.array_equal(from_wheel.encode(texts), first.encode(texts))
    assert np.array_equal(first.encode(texts), later.encode(texts))


def test_bulk_encoding_gives_the_same_vectors_and_maps_the_table_afresh(tmp_path):
    """Each part ends with a new mapping of the table, so the pages the part read are given back
    (a first start would otherwise keep nearly all 62 MB of it resident)."""
    texts = [f"Question {number}: can Meta use my photos?" for number in range(7)]
    encoder = SentenceEncoder(tmp_path / "cache")
    mapped = encoder._model._backend.table
    bulk = encoder.encode_in_bulk(texts, part=3)
    assert np.allclose(bulk, encoder.encode(texts), atol=1e-6)
    assert isinstance(encoder._model._backend.table, np.memmap)
    assert encoder._model._backend.table is not mapped
    assert encoder.encode_in_bulk([]).shape == (0, 512)


def test_an_encoder_with_an_unwritable_cache_folder_still_encodes(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    vectors = SentenceEncoder(blocker / "cache").encode(["Can Meta use my photos?"])
    assert vectors.shape == (1, 512)
