"""The knowledge base as a reader sees it: answer first, short before "More", right law, same privacy text."""

import re

import pytest

from bot.engine import SHORT_ANSWER_LIMIT, Event, Session
from bot.i18n import LANGUAGES, french_problems
from bot.paths import PROJECT_ROOT
from bot.yaml_io import read_yaml
from tests.support.chat import Chat
from tests.support.telegram_client import profile_description

TOPIC_IDS = list(read_yaml(PROJECT_ROOT / "dialogues" / "topics.yaml")["topics"])
TOPIC_IDS = [topic["id"] for topic in TOPIC_IDS]
# Questions answered by yes or no open with that word; the others with what they ask for.
FIRST_WORDS = {
    "private_messages": ("No", "Non"),
    "meta_ai_interactions": ("Yes", "Oui"),
    "minors": ("Not from", "Pas à partir"),
    "justification_required": ("No", "Non"),
    "meta_review": ("Only with compelling", "Seulement pour des motifs impérieux"),
    "private_account": ("Yes", "Oui"),
    "complaint": ("Yes", "Oui"),
    "already_trained": ("No", "Non"),
    "non_users": ("Yes", "Oui"),
    "whats_new": ("Nothing that changes", "Rien qui change"),
}
MONTH = {"en": re.compile(r"\bmonths?\b"), "fr": re.compile(r"\bmois\b")}
EXTENSION = {
    "en": re.compile(r"two more months|three months|within three|or three|longer time"),
    "fr": re.compile(r"deux mois|trois mois|de trois|plus long"),
}
ART_12_3 = {"en": "Art. 12(3) GDPR", "fr": "article 12, paragraphe 3, du RGPD"}
# One notation per language: "Art. 21(1) GDPR"; « article 21, paragraphe 1, du RGPD ».
REFERENCE = {
    "en": re.compile(r"Art\. \d+[a-z]?(?:\(\d+\))*(?:\([a-z]\))? GDPR"),
    "fr": re.compile(r"article \d+(?:, paragraphe \d+)?(?:, point [a-z]\))?,? du RGPD"),
}
OTHER_NOTATIONS = {
    "en": re.compile(r"Article \d|GDPR Art|Art\. \d+\S* of"),
    "fr": re.compile(r"\bart\. \d|article \d+\(\d"),
}


def shown(dialogue, topic_id, lang, expanded=False):
    session = Session("u", "topic", lang, {"topic": topic_id, "expanded": expanded})
    return dialogue.render(session)[0]


def translated(content, lang, topic_id):
    _ = content.catalogs.translator(lang)
    topic = content.knowledge.topics[topic_id]
    return _(topic.answer).strip(), _(topic.details).strip() if topic.details else ""


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("topic_id", TOPIC_IDS)
def test_each_answer_opens_with_a_one_line_answer_and_stays_short_before_more(
    content, topic_id, lang
):
    answer, _details = translated(content, lang, topic_id)
    first = answer.split("\n\n", 1)[0]
    assert "\n" not in first and first.endswith("."), first
    assert len(re.split(r"(?<=[.?!])\s", first)[0]) <= 200
    assert len(answer) <= SHORT_ANSWER_LIMIT, f"{topic_id} ({lang}): {len(answer)} characters"
    if topic_id in FIRST_WORDS:
        assert first.startswith(FIRST_WORDS[topic_id][LANGUAGES.index(lang)])


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("topic_id", TOPIC_IDS)
def test_a_month_to_answer_always_comes_with_its_extension(content, topic_id, lang):
    text = "\n\n".join(translated(content, lang, topic_id))
    if MONTH[lang].search(text):
        assert EXTENSION[lang].search(text) and ART_12_3[lang] in text, topic_id


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("topic_id", TOPIC_IDS)
def test_each_legal_reference_appears_once_in_one_notation(content, topic_id, lang):
    text = "\n\n".join(translated(content, lang, topic_id))
    references = REFERENCE[lang].findall(text)
    assert len(references) == len(set(references)), references
    assert not OTHER_NOTATIONS[lang].search(text), OTHER_NOTATIONS[lang].search(text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_flow_gives_the_extension_wherever_it_gives_a_month(content, lang):
    _ = content.catalogs.translator(lang)
    for key, msgid in content.flow.messages.items():
        text = _(msgid)
        if MONTH[lang].search(text):
            assert EXTENSION[lang].search(text), key


def test_children_are_protected_by_legitimate_interest_not_by_art_8(content):
    for lang in LANGUAGES:
        text = "\n\n".join(translated(content, lang, "minors"))
        assert not re.search(r"\b(Art\.|article) 8\b", text)
    english = "\n\n".join(translated(content, "en", "minors"))
    assert "Art. 6(1)(f) GDPR" in english and "Recital 38" in english


def test_every_french_message_follows_french_typography(content):
    messages = content.catalogs.translator("fr").messages
    broken = {msgid[:40]: french_problems(text) for msgid, text in messages.items()}
    assert {msgid: problems for msgid, problems in broken.items() if problems} == {}


def test_the_typography_rules_catch_each_mistake():
    assert french_problems("Vraiment ? Oui : « bien »") != []
    assert french_problems("Vraiment\u202f? Oui\u00a0: «\u00a0bien\u00a0» l’été") == []
    assert french_problems("voir https://example.org/?a=1:2") == []
    assert "write « plainte », not 'réclamation'" in french_problems("une réclamation")
    assert french_problems("l'été") == ["write the apostrophe ’, not '"]


def test_more_shows_the_details_and_a_language_switch_keeps_them(dialogue):
    chat = Chat(dialogue).start().send("What's new since May 2025?")
    assert chat.session.slots["topic"] == "whats_new"
    assert "consumer foundation" not in chat.replies[0].text and "➕ More" in chat.labels()
    chat.press("More")
    assert "consumer foundation" in chat.replies[0].text and "➕ More" not in chat.labels()
    chat.send("/language")
    assert "fondation néerlandaise" in chat.replies[0].text
    chat.press("Base légale")
    assert "Cologne" not in chat.replies[0].text and "➕ En savoir plus" in chat.labels()


def test_more_on_an_older_message_opens_that_topic_in_full(dialogue):
    chat = Chat(dialogue).start().send("What's new since May 2025?")
    more = next(b.id for b in chat.buttons() if "More" in b.label)
    chat.press("Menu")
    chat.press_data(more)
    assert chat.state == "topic" and "consumer foundation" in chat.replies[0].text


def test_sources_fit_on_one_line_with_one_checked_date(dialogue):
    text = Chat(dialogue).start().send("What's new since May 2025?").text
    (line,) = [line for line in text.splitlines() if line.startswith("Sources:")]
    assert "AI Act (EUR-Lex)" in line and "Addleshaw Goddard" in line
    assert text.count("checked on") == 1 and "checked on 29 November 2026" in line


@pytest.mark.parametrize(
    ("question", "topic_id", "button"),
    [
        ("How do I object?", "how_to_object", "✍️ Draft my objection"),
        ("Must I give a reason?", "justification_required", "✍️ Draft my objection"),
        ("Are photos of my kids used?", "minors", "✍️ Draft my objection"),
        ("How do I complain to the CNIL?", "complaint", "📨 Draft a complaint"),
        ("Can Meta refuse my objection?", "meta_review", "📨 Draft a complaint"),
    ],
)
def test_an_answer_that_offers_help_carries_its_button(dialogue, question, topic_id, button):
    chat = Chat(dialogue).start().send(question)
    assert chat.session.slots["topic"] == topic_id
    assert button in chat.labels()


def test_draft_a_complaint_from_a_topic_and_back_again(dialogue):
    chat = Chat(dialogue).start().send("How do I complain to the CNIL?").press("Draft a complaint")
    assert chat.state == "complaint_via"  # the complaint starts by asking how the user objected
    chat.press("Back")
    assert chat.state == "topic" and chat.session.slots["topic"] == "complaint"


def test_the_ai_act_question_gets_the_answer_on_the_ai_act(dialogue):
    for lang, question in (
        ("en", "What does the AI Act change?"),
        ("fr", "L'AI Act, ça change quoi ?"),
    ):
        chat = Chat(dialogue, language_code=lang).start().send(question)
        assert chat.session.slots["topic"] == "legal_basis"
        first = chat.replies[0].text.split("\n", 1)[0]
        assert ("AI Act" if lang == "en" else "règlement européen sur l’IA") in first


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_bots_privacy_text_is_the_same_everywhere(dialogue, content, lang):
    summary = content.catalogs.translator(lang)(content.flow.messages["privacy"]).strip()
    assert "30" in summary and ("alert" in summary)
    privacy = Chat(dialogue, language_code=lang).start().send("/privacy")
    forget = Chat(dialogue, language_code=lang).start().send("/forget").text
    description = profile_description(lang)
    assert privacy.replies[0].text.startswith(summary)  # the answer opens with it
    assert summary in forget and summary in description


def test_the_readme_states_when_the_content_was_last_checked(content):
    last = content.catalogs.translator("en").date(content.knowledge.last_checked)
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Content last checked: {last}" in readme


def test_a_question_mid_draft_gets_the_whole_answer_and_only_buttons_that_keep_the_draft(
    dialogue,
):
    chat = Chat(dialogue).start().press("Draft my objection").press("Facebook")
    outcome = dialogue.step(chat.session, Event("typed", "What's new since May 2025?"))
    assert "consumer foundation" in outcome.replies[0].text
    assert all("More" not in b.label for row in outcome.replies[0].buttons for b in row)
    chat.send("Can Meta refuse my objection?")
    assert "📨 Draft a complaint" not in chat.labels() and "↩️ Continue where I was" in chat.labels()
    assert chat.state == "draft_grounds"
