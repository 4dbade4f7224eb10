"""Property-based walks over the real dialogue: random presses, forged data, odd text, restarts.

Bounded for CI; `pytest --long tests/test_fuzz.py` runs many more examples.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import Event
from bot.engine.slots import Slots
from bot.telegram.render import render
from tests.support.chat import Chat
from tests.support.telegram_html import parse_html, utf16_length

TELEGRAM_TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64
COMMANDS = [
    "start",
    "menu",
    "back",
    "language",
    "help",
    "draft",
    "privacy",
    "forget",
    "cancel",
    "nope",
]

odd_text = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=50).map(lambda t: t * 300),
    st.sampled_from(
        ["<b>bold</b>", "<script>x</script>", "&amp; &lt;", "\u202eevil", "\x00\x07", "ok"]
    ),
)
actions = st.lists(
    st.one_of(
        st.tuples(st.just("press"), st.integers(min_value=0, max_value=40)),
        st.tuples(st.just("forged"), st.text(max_size=80)),
        st.tuples(st.just("typed"), odd_text),
        st.tuples(st.just("command"), st.sampled_from(COMMANDS)),
        st.tuples(st.just("unsupported"), st.sampled_from(["sticker", "photo", "voice"])),
        st.tuples(st.just("restart"), st.none()),
    ),
    max_size=40,
)


def draft_of(chat):
    session = chat.session
    return {key: session.slots.get(key) for key in Slots.DRAFT} if session else None


def check_replies(chat, dialogue):
    assert chat.replies, "every event gets an answer"
    for reply in chat.replies:
        assert reply.text.strip()
        for message in render(reply, copy_label="Copy"):
            text, _entities = parse_html(message.html)  # valid Telegram HTML, or ParseError
            assert utf16_length(text) <= TELEGRAM_TEXT_LIMIT
        for button in (b for row in reply.buttons for b in row):
            assert len(button.id.encode()) <= CALLBACK_DATA_LIMIT
            assert button.label.strip()
    if chat.session is not None:
        assert chat.session.state in dialogue.flow.screens
        assert chat.session.lang in ("en", "fr")


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(steps=actions, language_code=st.sampled_from(["fr-FR", "en", None, "de"]))
def test_random_walks_keep_every_invariant(dialogue, steps, language_code):
    chat = Chat(dialogue, language_code=language_code).start()
    for kind, value in steps:
        before = draft_of(chat)
        screen = dialogue.flow.screens[chat.state] if chat.session else None
        unrelated = kind in ("forged", "command", "unsupported", "restart") or (
            kind == "typed" and screen is not None and screen.input is None
        )
        if kind == "press":
            offered = [b for b in chat.buttons() if not b.url]
            if not offered:
                continue
            chat.press_data(offered[value % len(offered)].id)
        elif kind == "forged":
            chat.press_data(value)
        elif kind == "typed":
            chat.event(Event("typed", value))
        elif kind == "command":
            chat.send("/" + value)
        elif kind == "unsupported":
            chat.event(Event("unsupported", value))
        else:
            chat = restarted(chat, dialogue)
        check_replies(chat, dialogue)
        if unrelated and before is not None and chat.session is not None:
            assert draft_of(chat) == before, f"{kind} changed the draft"


def restarted(chat, dialogue):
    """A new process: a new Conversation on the same store, showing the current step again."""
    again = Chat(dialogue, store=chat.conversation.store, language_code=chat.language_code)
    replies = again.conversation.resume(again.user)
    again.replies = replies if replies is not None else again.start().replies
    return again
