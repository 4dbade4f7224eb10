"""Requests in so many words ("écris-moi le courrier", "can you forget our chat?"): how the
reader finds them in dialogues/questions.yaml's `requests:`, and how the verdict weighs them."""

from __future__ import annotations

import pytest
import yaml

from bot.errors import ContentError
from bot.matcher import text_normalise
from bot.matcher.example_index import ClassScore
from bot.matcher.question_data import DOMAIN, ELSEWHERE, read_question_data
from bot.matcher.requests import RequestReader
from bot.matcher.verdict import OUT_OF_SCOPE, Evidence, decide
from bot.paths import PROJECT_ROOT

QUESTIONS = PROJECT_ROOT / "dialogues" / "questions.yaml"
DRAFTS = ("draft_objection", "draft_complaint")


@pytest.fixture(scope="module")
def readers():
    data = read_question_data(QUESTIONS)
    return {lang: RequestReader(requests) for lang, requests in data.requests.items()}


@pytest.mark.parametrize(
    ("text", "lang", "actions"),
    [
        # an order opening a sentence, after an opener or two
        ("Écris-moi la lettre, je poste les photos de mes enfants", "fr", DRAFTS),
        ("ok alors rédige le courrier", "fr", DRAFTS),
        ("svp rédigez la lettre", "fr", DRAFTS),
        ("Allez, on rédige la lettre", "fr", DRAFTS),
        ("Merci. Bon, prépare la plainte maintenant", "fr", DRAFTS),
        ("write the complaint for the regulator, they ignored me", "en", DRAFTS),
        # a way of asking, then the verb a few words on
        ("Vous pourriez me préparer une plainte contre Meta ?", "fr", DRAFTS),
        ("could you please draft the letter", "en", DRAFTS),
        ("aide-moi à rédiger le motif, je publie mes ordonnances", "fr", DRAFTS),
        ("please write my grounds, I am a refugee", "en", DRAFTS),
        ("Tu peux vider notre discussion ?", "fr", ("forget",)),
        ("wipe our chat", "en", ("forget",)),
        # a question about doing it is not a request to do it
        ("Comment je rédige mon opposition ?", "fr", ()),
        ("how do I write the letter?", "en", ()),
        ("Tu gardes quoi si on écrit la lettre ensemble ?", "fr", ()),
        ("On peut faire opposition pour un mineur ?", "fr", ()),
        ("Qu'est-ce qu'on doit faire pour la lettre", "fr", ()),
        # nothing named to be done, or something else
        ("écris-moi vite", "fr", ()),
        ("Fais-moi un résumé de la situation", "fr", ()),
        ("delete my Facebook account", "en", ()),
        ("can you help me delete my Instagram account", "en", ()),
        ("can you make it stop", "en", ()),
        ("We do not want Meta to use it", "en", ()),
        # the verb too far from the asking
        ("can you tell me one day if I have time to maybe write the letter", "en", ()),
    ],
)
def test_the_reader_finds_requests_in_so_many_words(readers, text, lang, actions):
    assert readers[lang].asked_actions(text_normalise.fold(text)) == actions


@pytest.fixture(scope="module")
def matcher(content):
    return content.matcher


def _evidence(*roles: str, requested: tuple[str, ...] = DRAFTS) -> Evidence:
    return Evidence(
        frozenset(roles), names_meta=True, names_other_service=False, requested=requested
    )


def test_a_request_wins_over_a_topic_that_scored_a_little_more():
    lexical = {
        "complaint": ClassScore(1.2, 1.2, 1.2),
        "action:draft_complaint": ClassScore(0.8, 0.8, 0.8),
        "action:draft_objection": ClassScore(0.5, 0.5, 0.5),
    }
    assert decide(lexical, {}, _evidence(DOMAIN), {}).action == "draft_complaint"
    # without the request, the topic is answered
    assert decide(lexical, {}, _evidence(DOMAIN, requested=()), {}).topic == "complaint"
    # about another organisation ("aide-moi à écrire une réclamation à la SNCF"): no action
    assert decide(lexical, {}, _evidence(DOMAIN, ELSEWHERE), {}).action is None


def test_a_request_does_not_win_over_a_topic_far_ahead_nor_over_the_out_of_scope_class():
    far = {
        "complaint": ClassScore(1.5, 1.5, 1.5),
        "action:draft_complaint": ClassScore(0.8, 0.8, 0.8),
    }
    assert decide(far, {}, _evidence(DOMAIN), {}).topic == "complaint"
    # "write my cover letter": the out-of-scope examples lead the action by far
    cover = {
        OUT_OF_SCOPE: ClassScore(1.3, 1.3, 1.3),
        "action:draft_objection": ClassScore(0.8, 0.8, 0.8),
    }
    assert decide(cover, {}, _evidence(), {}).action is None


def test_a_language_named_beside_a_request_is_the_letter_s_not_the_chat_s():
    # "écris-moi l'opposition en anglais": the language action scored a little more
    lexical = {
        "action:language": ClassScore(1.3, 1.3, 1.3),
        "action:draft_objection": ClassScore(1.2, 1.2, 1.2),
    }
    assert decide(lexical, {}, _evidence(DOMAIN), {}).action == "draft_objection"
    # "in English please" asks for nothing to be written: the chat's language changes
    assert decide(lexical, {}, _evidence(requested=()), {}).action == "language"


@pytest.mark.parametrize(
    ("text", "lang", "action"),
    [
        ("Vous pouvez effacer notre discussion et ce que vous avez gardé ?", "fr", "forget"),
        (
            "Tu me rédiges la plainte pour la CNIL ? Meta ignore ma demande depuis six semaines",
            "fr",
            "draft_complaint",
        ),
        ("can you write the objection, mention that I am a nurse", "en", "draft_objection"),
        ("Écris-moi une lettre de motivation pour un poste de serveuse", "fr", None),
    ],
)
def test_the_matcher_starts_what_is_asked_in_so_many_words(matcher, text, lang, action):
    assert matcher.match(text, lang).action == action


def test_a_request_kind_with_an_unknown_action_is_a_content_error(tmp_path):
    document = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    document["requests"]["kinds"]["draft"]["actions"] = ["draft_objection", "fly_to_dublin"]
    path = tmp_path / "questions.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match=r"requests\.kinds\.draft\.actions: fly_to_dublin"):
        read_question_data(path)
