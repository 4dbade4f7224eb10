"""The dialogue engine: one shared state machine, restored from each user's session on every event.

`step(session, event)` is pure and synchronous: no I/O, no platform import. Adapters store the
returned session (or erase it) and show the replies.
"""

from __future__ import annotations

import copy
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from transitions import Machine, MachineError

from bot.engine.buttons import ButtonId
from bot.engine.content import Content
from bot.engine.model import Event, Reply, Session
from bot.engine.screens import Screens
from bot.engine.slots import Slots
from bot.engine.start_links import StartLink
from bot.engine.turn import Notice, Turn
from bot.engine.typed_buttons import button_named
from bot.i18n import LANGUAGES, negotiate
from bot.matcher import text_normalise, words_of

# The button that a typed request for an action presses (see flow.yaml's `buttons`).
TYPED_ACTIONS = {"draft_objection": "d", "language": "l", "forget": "x", "draft_complaint": "p"}


@dataclass(frozen=True)
class StepResult:
    """What one event did to a session: the session to save (or erase) and the replies to show."""

    session: Session
    replies: tuple[Reply, ...]
    erase: bool = False
    language_changed: bool = False
    replayed: bool = False  # an event delivered again: nothing changed, the step is shown again


class Dialogue:
    def __init__(
        self,
        content: Content,
        today: Callable[[], dt.date] = dt.date.today,
        clock: Callable[[], float] = time.time,
        bot_link: str | None = None,
    ):
        self.content = content
        self.flow = content.flow
        self.machine = Machine(model=None, **self.flow.machine)
        self.screens = Screens(content, today, bot_link)
        self.today = today
        self._clock = clock
        self._ground_ids = frozenset(ground.id for ground in content.letters.grounds)
        self._own_words_grounds = frozenset(
            ground.id for ground in content.letters.grounds if ground.own_words
        )

    def new_session(self, user: str, language_code: str | None = None) -> Session:
        return Session(user=user, state=self.machine.initial, lang=negotiate(language_code))

    def render(self, session: Session) -> list[Reply]:
        """The current step again, e.g. after a restart (on_enter callbacks do not run on restore)."""
        return self.screens.render(self._restored(session))

    def step(self, session: Session, event: Event) -> StepResult:
        language = session.lang
        outcome = self._step(self._restored(session), event)
        if outcome.session.lang == language:
            return outcome
        return StepResult(outcome.session, outcome.replies, outcome.erase, language_changed=True)

    def _step(self, session: Session, event: Event) -> StepResult:
        session.updated_at = self._clock()
        # Text waiting for "use it as written" lasts one event: only that button keeps it.
        pending = Slots(session.slots).take("pending")
        use_it = ButtonId(ButtonId.USE_TYPED).callback_data(self.flow.version)
        if pending is not None and (event.kind, event.value) == ("pressed", use_it):
            Slots(session.slots).pending = pending
        if event.kind == "start":
            link = StartLink.parse(event.value)  # a deep link such as t.me/<bot>?start=fr
            if link:
                session.lang = link.lang
            if link and link.topic in self.content.knowledge.topics:
                return self._press(session, ButtonId.topic(link.topic), trusted=True)
            return self._press(session, self.flow.commands["start"], trusted=True)
        if event.kind == "command":
            button = self.flow.commands.get(event.value.lower())
            if button is None:
                return self._stay(session, Notice("unknown_command"), Notice("help"))
            return self._press(session, button, trusted=True)
        if event.kind == "pressed":
            return self._pressed(session, event.value)
        if event.kind == "typed":
            return self._typed(session, event.value)
        if event.kind == "reminder":
            return self._fire(session, "reminded", "")
        return self._stay(session, Notice("unsupported"))

    # Events

    def _pressed(self, session: Session, data: str) -> StepResult:
        button = ButtonId.from_callback_data(data, self.flow.version)
        if button is None:
            return self._expired(session)
        return self._press(session, button, trusted=False)

    def _press(self, session: Session, button: ButtonId, trusted: bool) -> StepResult:
        trigger = self.flow.triggers_by_code.get(button.code)
        if trigger is None or not self._offers(session, button, trusted):
            return self._expired(session)
        screen = self.flow.screens[session.state]
        answer = screen.sets or (screen.input.sets if screen.input else "")
        if button.code == ButtonId.ANSWER and answer:
            Slots(session.slots).answer(answer, button.value)
        elif button.code == ButtonId.SKIP and answer:
            Slots(session.slots).unset(answer)
        elif button.code == ButtonId.USE_TYPED and answer:
            Slots(session.slots).answer(answer, Slots(session.slots).take("pending"))
        return self._fire(session, trigger, button.value)

    def _typed(self, session: Session, text: str) -> StepResult:
        screen = self.flow.screens[session.state]
        button = button_named(text, self._labelled_buttons(session), whole_only=bool(screen.input))
        if button is not None:
            return self._press(session, ButtonId.parse(button), trusted=False)
        if screen.input and not (screen.is_draft_step and text.strip().endswith("?")):
            return self._typed_answer(session, text.strip(), screen.input)
        match = self.content.matcher.match(text, session.lang)
        if screen.input and not match.topic:
            # A question mark, but no question the bot knows: ask before putting it in the letter.
            return self._typed_answer(session, text.strip(), screen.input, confirm=True)
        if match.action:
            return self._typed_action(session, match.action, text, screen.is_draft_step)
        if match.topic and screen.is_draft_step:
            # Mid-draft: the whole answer (no topic screen to expand later), then "continue"; the
            # topic's own actions would leave the draft, so they wait for the topic screen.
            resume = (ButtonId(ButtonId.RESUME),)
            reply = self.screens.topic_reply(match.topic, session, resume, True, actions=False)
            return StepResult(session, (reply,))
        if match.topic:
            return self._fire(session, "chose_topic", match.topic, nearby=match.alternatives)
        if match.alternatives:
            return StepResult(session, (self._did_you_mean(session, match.alternatives),))
        if screen.is_draft_step:
            return self._stay(session, Notice("no_match"))
        return self._fire(session, "opened_menu", "", Notice("no_match"))

    def _typed_action(self, session: Session, action: str, text: str, drafting: bool) -> StepResult:
        """A typed request does what its button or command does ("write my letter" = /draft)."""
        if action == "smalltalk":
            if drafting:
                return self._stay(session, Notice("smalltalk_draft"))
            return self._fire(session, "opened_menu", "", Notice("smalltalk"))
        if action == "draft_objection" and drafting:
            return self._stay(session)
        if action == "language" and self._language_named(text) == session.lang:
            return self._stay(session)  # "in French please" while already in French
        button = ButtonId(TYPED_ACTIONS[action])
        return self._press(session, button, trusted=True)

    def _typed_answer(self, session: Session, text: str, spec, confirm=False) -> StepResult:
        # "👍" is no sentence for the letter, nor a name: ask for words, as for an empty message.
        if not text or text_normalise.pictographs(text):
            return self._stay(session, Notice("empty_input"))
        if len(text) > spec.limit:
            return self._stay(
                session, Notice("too_long", {"count": len(text), "limit": spec.limit})
            )
        if confirm:
            Slots(session.slots).pending = text
            return self._stay(session, Notice("use_typed"))
        Slots(session.slots).answer(spec.sets, text)
        return self._fire(session, "answered", "")

    # Helpers

    def _offers(self, session: Session, button: ButtonId, trusted: bool) -> bool:
        """Is this button valid now? Anywhere-buttons need a known value; others must be on screen."""
        knowledge = self.content.knowledge
        if button.code == ButtonId.SECTION:
            return button.value in knowledge.sections
        if button.code in (ButtonId.TOPIC, ButtonId.MORE):
            return button.value in knowledge.topics
        if trusted or button.code in self.flow.anywhere:
            return True
        return button in self.screens.offered(session)

    def _fire(
        self, session: Session, trigger: str, value: str, *notices: Notice, **details
    ) -> StepResult:
        turn = Turn(session, self.machine, self._ground_ids, self.today(), self._own_words_grounds)
        try:
            self.machine.events[trigger].trigger(turn, value=value, **details)
        except MachineError:
            return self._stay(session, Notice("expired"))
        session.state = turn.state
        replies = self.screens.render(session, [*notices, *turn.notices])
        return StepResult(session, tuple(replies), erase=turn.erase)

    def _stay(self, session: Session, *notices: Notice) -> StepResult:
        return StepResult(session, tuple(self.screens.render(session, list(notices))))

    def _expired(self, session: Session) -> StepResult:
        """A button from an earlier step: say so, and show where the user is. A step of several
        messages (the letter, its file) is on screen already: the note carries its buttons only,
        rather than sending all of it again."""
        replies = self.screens.render(session)
        if len(replies) == 1 and not replies[0].attachment:
            return self._stay(session, Notice("expired"))
        _ = self.content.catalogs.translator(session.lang)
        note = Reply(text=_(self.flow.messages["expired"]).strip(), buttons=replies[-1].buttons)
        return StepResult(session, (note,))

    def _language_named(self, text: str) -> str | None:
        """The language a message names ("anglais", "French"), from the letter-language buttons'
        labels in every language; None when it names none or both."""
        words = set(words_of(text))
        named = set()
        for lang in LANGUAGES:
            for shown_in in LANGUAGES:
                _ = self.content.catalogs.translator(shown_in)
                label = _(self.flow.labels[ButtonId.answer(lang)])
                if words & set(words_of(label)):
                    named.add(lang)
        return named.pop() if len(named) == 1 else None

    def _labelled_buttons(self, session: Session) -> list[tuple[str, str]]:
        """The current step's buttons as (id, label), labels in both languages: people type
        "skip" in a French chat too."""
        screen = self.flow.screens[session.state]
        buttons = [button for row in self.screens.rows(screen, session) for button in row]
        labelled = []
        for lang in LANGUAGES:
            _ = self.content.catalogs.translator(lang)
            labelled += [(str(b), self.screens.button(b, session, _).label) for b in buttons]
        return labelled

    def _did_you_mean(self, session: Session, alternatives) -> Reply:
        _ = self.content.catalogs.translator(session.lang)
        rows = [(self.screens.button(ButtonId.topic(t), session, _),) for t in alternatives]
        back = ButtonId.RESUME if self.flow.screens[session.state].is_draft_step else ButtonId.MENU
        rows.append((self.screens.button(ButtonId(back), session, _),))
        return Reply(text=_(self.flow.messages["did_you_mean"]), buttons=tuple(rows))

    def _restored(self, session: Session) -> Session:
        """A private copy, on a state that still exists (content may have changed since it was saved)."""
        state = session.state if session.state in self.flow.screens else self.machine.initial
        slots = Slots.upgraded(copy.deepcopy(session.slots))
        return Session(session.user, state, session.lang, slots, session.updated_at)
