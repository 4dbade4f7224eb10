"""The dialogue engine through its real content: navigation, language, bad input, the draft path."""

from collections import deque

import pytest

from bot.engine import Event, Session, SQLiteStore
from bot.engine.flow import reachable
from tests.support.chat import Chat


def test_start_greets_in_the_users_language_and_shows_the_menu(dialogue):
    french = Chat(dialogue, language_code="fr-FR").start()
    english = Chat(dialogue, language_code="en-GB").start()
    assert "Bonjour" in french.text and "✍️ Rédiger mon opposition" in french.labels()
    assert "Hello" in english.text and "✍️ Draft my objection" in english.labels()
    assert french.state == english.state == "menu"


def test_a_deep_link_payload_chooses_the_language(dialogue):
    assert Chat(dialogue, language_code="en").start("fr").session.lang == "fr"


def test_a_deep_link_to_a_topic_opens_it_in_the_links_language(dialogue):
    chat = Chat(dialogue, language_code="en").start("fr-objection_limits")
    assert (chat.state, chat.session.lang) == ("topic", "fr")
    assert chat.replies[0].title == "Les limites de l’opposition"


@pytest.mark.parametrize("payload", ["fr-no_such_topic", "xx-data_used", "-", "x" * 80])
def test_a_deep_link_this_bot_never_made_opens_the_menu(dialogue, payload):
    chat = Chat(dialogue, language_code="en").start(payload)
    assert chat.state == "menu" and chat.session.lang == ("fr" if payload[:3] == "fr-" else "en")


def test_every_state_is_reachable_from_the_menu(dialogue):
    assert reachable(dialogue.flow) == set(dialogue.flow.states)


def test_every_button_on_every_screen_leads_somewhere(dialogue):
    """Explore the real screens breadth-first: no offered button may answer "expired"."""
    expired = dialogue.content.catalogs.translator("en")(dialogue.flow.messages["expired"])
    start = Chat(dialogue).start().session
    seen, queue, states, topics = set(), deque([start]), set(), set()
    while queue:
        session = queue.popleft()
        for reply in dialogue.render(session):
            for button in (b for row in reply.buttons for b in row if not b.url):
                outcome = dialogue.step(session, Event("pressed", button.id))
                assert expired not in outcome.replies[0].text, (session.state, button.label)
                after = outcome.session
                states.add(after.state)
                topics.add(after.slots.get("topic"))
                # One visit per step, topic, section and stage of the draft: the walk stays small.
                # Only a topic's screen (and its way back) depends on the topic and section.
                slots = after.slots
                stage = (bool(slots.get("grounds")), "sent_on" in slots, "reviewed" in slots)
                shown = after.state in ("topic", "section")
                where = (slots.get("topic"), slots.get("section")) if shown else ()
                key = (after.state, where, stage)
                if key not in seen:
                    seen.add(key)
                    queue.append(after)
    # /forget and a due reminder, not a button, lead to these two.
    assert states == set(dialogue.flow.states) - {"forget", "followup_check"}
    assert set(dialogue.content.knowledge.topics) <= topics


def test_an_unknown_command_keeps_the_step_and_lists_the_commands(dialogue):
    chat = Chat(dialogue).start().press("What Meta uses")
    chat.send("/frobnicate")
    assert chat.state == "section"
    assert "I don't know that command" in chat.text and "/forget" in chat.text


@pytest.mark.parametrize("data", ["1|zz:nothing", "1|t:no_such_topic", "garbage", "", "0|m", "1|f"])
def test_forged_or_old_buttons_say_expired_and_keep_the_step(dialogue, data):
    chat = Chat(dialogue).start().press("Draft my objection")
    chat.press_data(data)
    assert chat.state == "draft_accounts"
    assert "earlier step or an older version" in chat.text


def test_a_double_tap_does_not_advance_twice(dialogue):
    chat = Chat(dialogue).start().press("Draft my objection")
    facebook = next(b.id for b in chat.buttons() if b.label == "Facebook")
    chat.press_data(facebook)
    chat.press_data(facebook)
    assert chat.state == "draft_grounds"


@pytest.mark.parametrize("kind", ["unsupported"])
def test_stickers_and_photos_get_a_kind_reply_and_keep_the_step(dialogue, kind):
    chat = Chat(dialogue).start().press("Draft my objection")
    chat.event(Event(kind, "sticker"))
    assert chat.state == "draft_accounts"
    assert "I can only read text and buttons" in chat.text


def test_switching_language_keeps_the_current_step_and_the_draft(dialogue):
    chat = Chat(dialogue).start().press("Draft my objection").press("Both").press("Yes, they are")
    chat.press("My children")
    chat.send("/language")
    assert chat.state == "draft_grounds"
    assert "Étape 3 sur 6" in chat.text
    assert chat.session.slots["grounds"] == ["children"]


def test_back_walks_the_draft_one_step_at_a_time(dialogue):
    chat = Chat(dialogue).start().press("Draft my objection").press("Instagram")
    assert chat.state == "draft_grounds"
    chat.press("Back")
    assert chat.state == "draft_accounts"
    chat.press("Back")
    assert chat.state == "menu"


def test_a_question_typed_during_the_draft_is_answered_without_losing_it(dialogue):
    chat = Chat(dialogue).start().press("Draft my objection").press("Facebook")
    chat.press("My children")
    chat.send("do they read my private messages on messenger?")
    assert chat.state == "draft_grounds"
    assert "↩️ Continue where I was" in chat.labels()
    chat.press("Continue where I was")
    assert chat.state == "draft_grounds"
    assert chat.session.slots["grounds"] == ["children"]


def test_a_question_typed_at_the_menu_opens_its_topic(dialogue):
    chat = Chat(dialogue).start().send("is it too late to object if my photos were already used?")
    assert chat.state == "topic"
    assert chat.session.slots["topic"] == "already_trained"


def test_topics_nearly_as_close_as_the_answer_are_offered_first_under_it(dialogue):
    """ "What if Meta ignores my objection": the answer, and the topic it was nearly about as the
    first related button, which works; choosing another topic drops it."""
    question = "what if Meta ignores my objection"
    match = dialogue.content.matcher.match(question, "en")
    assert match.topic and match.alternatives, "pick a question with a close runner-up"
    chat = Chat(dialogue).start().send(question)
    topics = dialogue.content.knowledge.topics
    shown = list(dict.fromkeys([*match.alternatives, *topics[match.topic].related]))
    titles = {topics[t].title: t for t in topics}
    assert [titles[label] for label in chat.labels() if label in titles] == shown[:4]
    assert topics[match.topic].details, "pick a topic with details"
    chat.press("More")  # the details, and the same nearby buttons
    assert [titles[label] for label in chat.labels() if label in titles] == shown[:4]
    chat.press(topics[match.alternatives[0]].title)
    assert chat.session.slots["topic"] == match.alternatives[0]
    assert chat.session.slots["nearby"] == []


def test_out_of_scope_text_shows_what_the_bot_can_do(dialogue):
    chat = Chat(dialogue).start().send("what's the weather like in Lyon tomorrow?")
    assert chat.state == "menu"
    assert "I'm not sure I understood" in chat.text


def test_grounds_are_required_before_continuing(dialogue):
    chat = Chat(dialogue).start().press("Draft my objection").press("Facebook")
    chat.press("Continue")
    assert chat.state == "draft_grounds"
    assert "at least one ground" in chat.text


def test_a_too_long_sentence_is_refused_and_nothing_is_saved(dialogue):
    chat = Chat(dialogue).start().press("Draft my objection").press("Facebook")
    chat.press("My children").press("Continue")
    chat.send("x" * 10_000)
    assert chat.state == "draft_detail"
    assert "10000 characters" in chat.text
    assert "detail" not in chat.session.slots


def test_the_full_draft_path_with_skip_change_and_another_letter_language(dialogue):
    chat = Chat(dialogue, language_code="en").start().press("Draft my objection")
    chat.press("Both").press("Yes, they are linked")
    chat.press("My children").press("Posted before AI").press("Continue")
    chat.send("Mes enfants apparaissent sur <b>mes</b> photos publiques.")
    chat.press("Skip")
    assert chat.state == "draft_country"
    chat.press("France")
    assert chat.state == "draft_review"
    assert "Mes enfants apparaissent" in chat.text
    chat.press("Letter's language").press("French")
    assert chat.state == "draft_review"
    chat.press("Change my grounds").press("Posted before AI").press("Continue")
    assert chat.state == "draft_review"
    chat.press("Write my letter")
    assert chat.state == "draft_result"
    short, letter = chat.replies[0].copy, chat.replies[1].attachment.content
    assert short.one_tap and len(short.text) <= 256
    assert "29 novembre 2026" in letter
    assert "21" in letter and "Mes enfants apparaissent sur <b>mes</b> photos" in letter
    assert "CNIL" in letter
    chat.press("Show the full text")
    assert chat.replies[0].copy.text == letter
    assert any(b.url for b in chat.buttons())


def test_a_stale_write_button_points_to_the_letter_without_sending_it_again(dialogue):
    chat = Chat(dialogue, language_code="en").start().press("Draft my objection")
    chat.press("Both").press("Yes, they are linked")
    chat.press("My children").press("Continue").press("Skip").press("Skip").press("France")
    write = next(b.id for b in chat.buttons() if "Write my letter" in b.label)
    chat.press_data(write)
    result = chat.replies
    chat.press_data(write)
    assert chat.state == "draft_result"
    [note] = chat.replies
    assert "earlier step or an older version" in note.text
    assert note.attachment is None and note.copy is None
    assert note.buttons == result[-1].buttons


def test_draft_from_the_menu_resumes_where_the_user_left_it(dialogue):
    chat = Chat(dialogue).start().press("Draft my objection").press("Facebook")
    chat.send("/menu").press("Draft my objection")
    assert chat.state == "draft_grounds"


def test_a_restart_resumes_at_the_same_step(dialogue, tmp_path):
    path = tmp_path / "sessions.sqlite3"
    chat = Chat(dialogue, store=SQLiteStore(path)).start().press("Draft my objection")
    chat.press("Instagram").press("My children")
    again = Chat(dialogue, store=SQLiteStore(path))
    replies = again.conversation.resume("tg:1")
    assert again.state == "draft_grounds"
    assert "✅" in " ".join(b.label for r in replies for row in r.buttons for b in row)


def test_forget_erases_the_user_after_confirmation(dialogue):
    chat = Chat(dialogue).start().press("Draft my objection").press("Facebook")
    chat.send("/forget")
    assert chat.state == "forget"
    chat.press("Yes, erase everything")
    assert chat.erased and chat.session is None
    assert "has been erased" in chat.text


def test_huge_or_strange_text_never_breaks_the_dialogue(dialogue):
    chat = Chat(dialogue).start()
    for text in ["\x00\x1b[31m", "<script>alert(1)</script>", "ש" * 5000 + "😀" * 3000, "  ", "/"]:
        chat.send(text)
        assert chat.replies and all(reply.text for reply in chat.replies)


def test_an_event_delivered_again_after_a_crash_is_not_applied_twice(dialogue):
    chat = Chat(dialogue).start().press("Draft my objection").press("Facebook")
    chat.press("My children").press("Continue")
    conversation = chat.conversation
    first = conversation.handle("tg:1", Event("typed", "My kids are everywhere."), delivery=41)
    again = conversation.handle("tg:1", Event("typed", "My kids are everywhere."), delivery=41)
    assert first.session.state == "draft_name" and not first.replayed
    assert again.replayed and chat.session.state == "draft_name"
    assert (
        chat.session.slots["detail"] == "My kids are everywhere."
        and "name" not in chat.session.slots
    )
    later = conversation.handle("tg:1", Event("typed", "Camille Martin"), delivery=42)
    assert later.session.slots["name"] == "Camille Martin"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_buttons_two_to_a_row_fit_a_phone_without_being_cut(dialogue, lang):
    """About 20 characters a button in two-per-row keyboards."""
    session = Chat(dialogue, language_code=lang).start().session
    _ = dialogue.content.catalogs.translator(lang)
    for screen in dialogue.flow.screens.values():
        session.state = screen.state
        for row in (*screen.rows, screen.footer):
            if len(row) == 2:
                labels = [dialogue.screens.button(button, session, _).label for button in row]
                assert all(len(label) <= 20 for label in labels), (screen.state, labels)


def test_a_session_saved_under_former_slot_names_keeps_its_answers(dialogue):
    saved = Session(
        "tg:1",
        "draft_review",
        "en",
        {"platforms": "facebook", "reasons": ["children"], "account": "me@example.org"},
    )
    outcome = dialogue.step(saved, Event("command", "menu"))
    assert {key: outcome.session.slots.get(key) for key in ("accounts", "grounds", "login")} == {
        "accounts": "facebook",
        "grounds": ["children"],
        "login": "me@example.org",
    }
    assert not {"platforms", "reasons", "account"} & outcome.session.slots.keys()


# --- typed requests and typed button meanings (issue 11) -----------------------------------------


@pytest.mark.parametrize(
    ("typed", "language_code", "state"),
    [
        ("can you write the letter for me", "en", "draft_accounts"),
        ("tu peux écrire la lettre pour moi", "fr", "draft_accounts"),
        ("delete everything you have on me", "en", "forget"),
    ],
)
def test_a_typed_request_starts_its_action(dialogue, typed, language_code, state):
    chat = Chat(dialogue, language_code=language_code).start().send(typed)
    assert chat.state == state


def test_a_typed_request_to_switch_language_switches_it_once(dialogue):
    chat = Chat(dialogue).start().send("en français svp")
    assert chat.session.lang == "fr"
    chat.send("en français svp")  # already in French: stays
    assert chat.session.lang == "fr"
    chat.send("English please")
    assert chat.session.lang == "en"


def test_small_talk_gets_a_friendly_reply_and_the_menu_once(dialogue):
    chat = Chat(dialogue).start().send("thanks!")
    assert chat.state == "menu"
    assert "thank you for writing" in chat.text
    assert "not sure I understood" not in chat.text
    assert chat.labels().count("💬 Ask a question") == 1


@pytest.mark.parametrize("emoji", ["👍", "🙏🏽", "❤️"])
def test_an_acknowledging_emoji_alone_is_small_talk_and_mid_draft_keeps_the_step(dialogue, emoji):
    chat = Chat(dialogue).start().send(emoji)
    assert "thank you for writing" in chat.text
    chat.press("✍️").send(emoji)
    assert chat.state == "draft_accounts"
    assert "carry on with your objection" in chat.text


def test_another_emoji_alone_is_not_understood_and_no_emoji_fills_a_free_text_step(dialogue):
    chat = Chat(dialogue).start().send("😡")
    assert "not sure I understood" in chat.text and "thank you" not in chat.text
    chat.press("✍️").press("Facebook")
    chat.press(chat.labels()[0]).press(chat.labels()[-2])
    assert chat.state == "draft_detail"
    chat.send("👍")
    assert chat.state == "draft_detail" and "detail" not in chat.session.slots
    assert "type a few words" in chat.text


def test_a_typed_request_for_a_complaint_starts_the_complaint_from_anywhere(dialogue):
    chat = Chat(dialogue).start().send("please write my complaint to the data protection authority")
    assert chat.state == "complaint_via"  # the complaint's first question, as its button does
    chat.press("Back")
    assert chat.state == "menu"


def test_typing_a_button_s_meaning_presses_it(dialogue):
    chat = Chat(dialogue, language_code="fr").start().press("✍️").send("les deux")
    assert chat.session.slots["accounts"] == "both"
    chat.send("skip")  # linked accounts: an English word in a French chat still works
    assert chat.state == "draft_grounds"


def test_at_a_free_text_step_skip_is_a_button_and_a_question_is_answered(dialogue):
    chat = Chat(dialogue).start().press("✍️").press("Facebook")
    chat.press(chat.labels()[0]).press(chat.labels()[-2])
    assert chat.state == "draft_detail"
    chat.send("Is this sentence mandatory?")
    assert chat.state == "draft_detail" and "detail" not in chat.session.slots
    assert "↩️ Continue where I was" in chat.labels()
    chat.send("Skip")
    assert chat.state == "draft_name" and "detail" not in chat.session.slots


def test_a_sentence_that_looks_like_an_unknown_question_is_saved_once_confirmed(dialogue):
    chat = Chat(dialogue).start().press("✍️").press("Facebook")
    chat.press(chat.labels()[0]).press(chat.labels()[-2])
    sentence = "I am a nurse and I post my holiday pictures, is that enough?"
    chat.send(sentence)
    assert chat.state == "draft_detail" and "detail" not in chat.session.slots
    assert "That looks like a question" in chat.text
    chat.press("✅ Use it as written")
    assert chat.state == "draft_name"
    assert chat.session.slots["detail"] == sentence and "pending" not in chat.session.slots


def test_typing_again_instead_of_confirming_drops_the_question_like_text(dialogue):
    chat = Chat(dialogue, language_code="fr").start().press("✍️").press("Facebook")
    chat.press(chat.labels()[0]).press(chat.labels()[-2])
    chat.send("Je suis infirmière et je publie mes photos de vacances, ça suffit ?")
    assert "✅ Garder tel quel" in chat.labels()
    chat.send("Je suis infirmière et mes photos montrent mes patients.")
    assert chat.state == "draft_name"
    assert chat.session.slots["detail"] == "Je suis infirmière et mes photos montrent mes patients."
    assert "pending" not in chat.session.slots
    chat.press("⬅️ Retour")
    assert "✅ Garder tel quel" not in chat.labels()
