"""The paths people take, end to end on Telegram: the real `gdpr-bot run` against the fake Bot API,
users who press buttons by their label. A complaint with no letter drafted here, the result screen,
the traps of the draft, and the taps each journey costs.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dates import one_month_after
from bot.engine import Content
from bot.paths import ContentPaths
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.printed import flat, pdf_pages
from tests.support.telegram_client import (
    TOKEN,
    BotProcess,
    Probe,
    SimulatedUser,
    assert_nothing_refused,
    label,
    say,
    text_of,
)

CONTENT = Content.load(ContentPaths.from_environment())
LANGUAGE_CODES = {"en": "en-GB", "fr": "fr-FR"}


def outcome_label(lang: str, outcome: str) -> str:
    return CONTENT.catalogs.translator(lang)(CONTENT.complaints.outcome(outcome).label)


def section_title(lang: str, section: str) -> str:
    return CONTENT.catalogs.translator(lang)(CONTENT.knowledge.sections[section].title)


def country_label(lang: str, code: str) -> str:
    return CONTENT.catalogs.translator(lang)(CONTENT.letters.country(code).label)


def ground_button(lang: str, ground: str) -> str:
    ground = CONTENT.letters.ground(ground)
    return f"{ground.icon} {CONTENT.catalogs.translator(lang)(ground.label)}"


def complaint_text(lang: str, section: str, name: str) -> str:
    return CONTENT.catalogs.translator(lang)(CONTENT.complaints.texts[section][name])


def letter_text(lang: str, section: str, name: str) -> str:
    return CONTENT.catalogs.translator(lang)(CONTENT.letters.texts[section][name])


class CountingUser(SimulatedUser):
    """A simulated user who counts the buttons they press."""

    taps = 0

    def press(self, text: str):
        self.taps += 1
        return super().press(text)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("journeys")
    api = FakeBotAPI(TOKEN).start()
    bot = BotProcess(api, folder, folder / "sessions.sqlite3").start()
    yield api, Probe(api)
    bot.stop()
    api.stop()


@pytest.fixture(autouse=True)
def no_refused_calls(world):
    """Telegram must never have refused a call (bad HTML, a caption too long...)."""
    yield
    assert_nothing_refused(world[0])


def new_user(world, lang: str) -> CountingUser:
    api, probe = world
    user = CountingUser(api, probe, LANGUAGE_CODES[lang])
    user.send("/start")
    return user


def keyboard(messages) -> list[dict]:
    return [button for message in messages for row in message.keyboard for button in row]


def file_of(messages, suffix=".txt"):
    [message] = [m for m in messages if m.document and m.document[0].endswith(suffix)]
    return message


def objection(user: CountingUser, lang: str, *grounds: str) -> list:
    """The draft with every optional step skipped; returns the result screen's messages."""
    user.press(label(lang, "d"))
    user.press(label(lang, "a:facebook"))
    for ground in grounds or ("children",):
        user.press(ground_button(lang, ground))
    user.press(label(lang, "n"))
    for _step in range(3):  # the sentence, the name, the country
        user.press(label(lang, "k"))
    return user.press(label(lang, "n:write"))


# A complaint without a letter drafted here


def complain(user: CountingUser, lang: str, outcome: str) -> list:
    """From the menu: objected with Meta's form, box left empty, about a month ago, France."""
    user.press(section_title(lang, "after"))
    user.press(label(lang, "p"))
    user.press(label(lang, "a:form"))
    user.press(label(lang, "a:none"))
    user.press(label(lang, "a:month"))
    shown = user.press(outcome_label(lang, outcome))
    if outcome == "identity_request":
        advice = CONTENT.catalogs.translator(lang)(CONTENT.flow.screens["complaint_identity"].text)
        assert advice.split("\n")[0] in text_of(shown) and not any(m.document for m in shown)
        user.press(label(lang, "a:answered"))
    return user.press(country_label(lang, "FR"))


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    "outcome", ["no_answer", "refused", "identity_request", "justification_request", "other"]
)
def test_a_complaint_reached_from_start_states_only_what_the_user_said(world, lang, outcome):
    user = new_user(world, lang)
    result = complain(user, lang, outcome)

    complaint = file_of(result).document[1].decode("utf-8")
    _ = CONTENT.catalogs.translator(lang)  # the CNIL in a French chat: the complaint in French
    assert _(CONTENT.complaints.outcome(outcome).paragraph) in complaint
    assert complaint_text(lang, "letter", "account_unknown") in complaint
    assert complaint_text(lang, "letter", "form_empty") in complaint
    assert "CNIL" in complaint
    # Nothing the user did not say: no grounds, no erasure request, no account named, no exact day.
    assert "17(1)(c)" not in complaint
    assert complaint_text(lang, "letter", "grounds").split("{")[0] not in complaint
    assert complaint_text(lang, "letter", "asked") not in complaint
    assert "Facebook account" not in complaint and "compte Facebook." not in complaint
    assert complaint_text(lang, "letter", "when_around").split("{")[0] in complaint
    first = result[0]  # the action first: the copy button and the authority's complaint page
    assert any("copy_text" in button for button in keyboard([first]))
    assert CONTENT.complaints.route_urls["FR"] in [b.get("url") for b in keyboard([first])]


def test_a_complaint_can_be_written_in_the_other_language(world):
    user = new_user(world, "fr")
    complain(user, "fr", "refused")
    result = user.press(say("fr", "write_in_en"))
    complaint = file_of(result).document[1].decode("utf-8")
    assert "Dear Sir or Madam," in complaint and "with the Commission nationale" in complaint


def test_a_complaint_from_the_complaint_topic_and_after_a_letter_drafted_here(world):
    user = new_user(world, "en")
    objection(user, "en", "children")
    user.press(label("en", "o"))
    user.send("2/10/2026")  # more than a month ago: straight to "Did Meta answer?"
    user.press(outcome_label("en", "refused"))
    user.press(label("en", "a:letter"))
    result = user.press(country_label("en", "BE"))
    complaint = file_of(result).document[1].decode("utf-8")
    assert "On 2 October 2026" in complaint and "my children appear in my photos" in complaint
    assert "17(1)(c)" in complaint  # the bot's letter asks for erasure
    topic = user.send("How do I complain to the CNIL?")
    assert label("en", "p") in [b["text"] for b in keyboard(topic)]
    command = user.send("/complaint")  # the typed entry: the same first question
    assert label("en", "a:form") in [b["text"] for b in keyboard(command)]


# The result screen


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_result_screen_opens_with_the_steps_the_copy_button_and_the_form(world, lang):
    user = new_user(world, lang)
    first, document, printable = objection(user, lang)
    buttons = keyboard([first])
    assert "copy_text" in buttons[0] and len(buttons[0]["copy_text"]["text"]) <= 256
    assert first.text.index("1. ") < first.text.index("2. ") < first.text.index("4. ")
    assert letter_text(lang, "letter", "account_blank") not in first.text  # no 90-line block
    assert CONTENT.flow.links["facebook"] in [b.get("url") for b in buttons]
    assert label(lang, "o") in [b["text"] for b in buttons]
    # The letter is a file with a one-line caption, its text on request.
    assert document.document[0].endswith(".txt") and "\n" not in document.text.strip()
    # ... and the same letter ready to print.
    assert printable.document[0].endswith(".pdf") and "PDF" in printable.text
    [page] = pdf_pages(printable.document[1])
    assert flat(letter_text(lang, "letter", "legal_basis")) in page
    (shown,) = user.press(label(lang, "tx"))
    assert shown.entity_texts("pre")[0].strip() == document.document[1].decode("utf-8").strip()
    dpo = [b["url"] for b in shown.keyboard[0] if "url" in b]
    assert dpo == [CONTENT.letters.dpo_contact]
    assert "12(3)" in shown.text and "about a day" not in shown.text


# The traps of the draft, one test each


def test_the_step_counter_counts_the_steps_this_user_sees(world):
    one = new_user(world, "en")
    one.press(label("en", "d"))
    assert "Step 2 of 5." in text_of(one.press(label("en", "a:instagram")))
    both = new_user(world, "en")
    both.press(label("en", "d"))
    assert "Step 2 of 6." in text_of(both.press(label("en", "a:both")))
    assert "Step 3 of 6." in text_of(both.press(label("en", "a:yes")))


def test_after_back_the_earlier_choice_shows_its_check_mark(world):
    user = new_user(world, "en")
    user.press(label("en", "d"))
    user.press(label("en", "a:instagram"))
    user.press(label("en", "b"))
    assert "✅ Instagram" in [b["text"] for b in user.buttons("a:")]


def test_another_reason_needs_the_users_sentence(world):
    user = new_user(world, "en")
    user.press(label("en", "d"))
    user.press(label("en", "a:facebook"))
    user.press(ground_button("en", "other"))
    user.press(label("en", "n"))
    refused = user.press(label("en", "k"))
    assert say("en", "own_words_needed").split(":")[0] in text_of(refused)
    user.send("I was stalked after a post went viral.")
    for _step in range(2):
        user.press(label("en", "k"))
    result = user.press(label("en", "n:write"))
    letter = file_of(result).document[1].decode("utf-8")
    assert "I was stalked after a post went viral." in letter
    assert "Other circumstances" not in letter


def test_the_short_version_names_every_ground_chosen(world):
    user = new_user(world, "fr")
    grounds = [ground.id for ground in CONTENT.letters.grounds]
    user.press(label("fr", "d"))
    user.press(label("fr", "a:facebook"))
    for ground in grounds:
        user.press(ground_button("fr", ground))
    user.press(label("fr", "n"))
    user.send("Mon ancien compagnon me surveille.")
    for _step in range(2):
        user.press(label("fr", "k"))
    first = user.press(label("fr", "n:write"))[0]
    short = keyboard([first])[0]["copy_text"]["text"]
    _ = CONTENT.catalogs.translator("fr")
    assert len(short) <= 256
    for ground in grounds:
        ground = CONTENT.letters.ground(ground)
        assert _(ground.tag) in short or _(ground.short) in short, ground


def test_the_letter_identifies_the_account_from_the_answer_or_a_marked_blank(world):
    user = new_user(world, "en")
    blank = file_of(objection(user, "en")).document[1].decode("utf-8")
    assert letter_text("en", "letter", "account_blank") in blank
    assert "given with this request" not in blank
    user.press(label("en", "b"))  # back to the review
    user.press(label("en", "ek"))
    user.send("camille.d@example.org")
    filled = file_of(user.press(label("en", "n:write"))).document[1].decode("utf-8")
    assert "(email address or username): camille.d@example.org" in filled


def test_a_sentence_in_another_language_than_the_letter_is_flagged_with_a_rewrite(world):
    user = new_user(world, "en")
    user.press(label("en", "d"))
    user.press(label("en", "a:facebook"))
    user.press(ground_button("en", "children"))
    user.press(label("en", "n"))
    user.send("My daughter is in most of my photos.")
    user.press(label("en", "k"))
    review = user.press(label("en", "k"))
    assert say("en", "sentence_language") not in text_of(review)
    user.press(label("en", "el"))
    review = user.press(label("en", "a:fr"))
    assert say("en", "sentence_language") in text_of(review)
    assert label("en", "ed") in [b["text"] for b in keyboard(review)]


def test_a_date_more_than_a_month_back_asks_whether_meta_answered(world):
    user = new_user(world, "en")
    objection(user, "en")
    user.press(label("en", "o"))
    long_ago = dt.date.today() - dt.timedelta(days=45)
    shown = user.send(long_ago.strftime("%d/%m/%Y"))
    assert "Did Meta confirm it?" in text_of(shown)
    assert label("en", "a:remind") not in [b["text"] for b in keyboard(shown)]
    assert one_month_after(long_ago) < dt.date.today()


def test_the_grounds_screen_shows_each_ground_once_on_its_own_row_and_short(world):
    user = new_user(world, "fr")
    user.press(label("fr", "d"))
    (screen,) = user.press(label("fr", "a:facebook"))
    _ = CONTENT.catalogs.translator("fr")
    rows = [row for row in screen.keyboard if row[0]["callback_data"].partition("|")[2][:2] == "g:"]
    assert len(rows) == len(CONTENT.letters.grounds) and all(len(row) == 1 for row in rows)
    for ground in CONTENT.letters.grounds:
        assert len(_(ground.label)) <= 20
        assert _(ground.label) not in screen.text  # on its button only
        assert screen.text.count(_(ground.summary)) == 1


def test_the_share_button_is_on_the_menu_and_the_result_and_the_way_back_returns_to_follow_up(
    world,
):
    user = new_user(world, "en")
    menu = user.send("/menu")
    assert any(b.get("url", "").startswith("https://t.me/share/url") for b in keyboard(menu))
    result = objection(user, "en")
    assert any(b.get("url", "").startswith("https://t.me/share/url") for b in keyboard(result))
    user.press(label("en", "o"))
    user.press(label("en", "a:today"))
    user.press(label("en", "a:no_reminder"))
    topic_title = CONTENT.catalogs.translator("en")(CONTENT.knowledge.topics["meta_review"].title)
    user.press(topic_title)
    back = user.press(label("en", "b"))
    assert say("en", "followup_what_if").split("?")[0] in text_of(back)
    menu = user.send("/menu")
    assert say("en", "menu_followup") in [b["text"] for b in keyboard(menu)]


def test_a_language_button_on_the_draft_screens_switches_in_place(world):
    user = new_user(world, "en")
    user.press(label("en", "d"))
    user.press(label("en", "a:facebook"))
    french = user.press(label("en", "l"))
    assert "Étape 2 sur 5." in text_of(french)
    assert ground_button("fr", "children") in [b["text"] for b in keyboard(french)]


# Taps from /start: the README states both figures


def test_taps_from_start_to_a_finished_objection_and_a_finished_complaint(world):
    objector = new_user(world, "en")
    assert any(m.document for m in objection(objector, "en"))
    complainant = new_user(world, "en")
    assert any(m.document for m in complain(complainant, "en", "no_answer"))
    assert objector.taps <= 8, objector.taps
    assert complainant.taps <= 7, complainant.taps
    print(f"taps: objection {objector.taps}, complaint {complainant.taps}")
