"""Turn a state and a session into Replies: the words come from the catalogs, the shape from flow.yaml."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from bot.dates import from_iso, reminder_day
from bot.engine.buttons import ButtonId
from bot.engine.content import Content
from bot.engine.documents import DocumentScreens
from bot.engine.flow import Screen
from bot.engine.model import Button, Reply, Session, Source
from bot.engine.slots import Slots
from bot.engine.turn import Notice, Turn
from bot.errors import ContentError
from bot.i18n import Translator, collation_key

CHECKED = "✅ "
PINNED_COUNTRIES = 3  # letter.yaml lists France, Belgium and Luxembourg first; the rest go A to Z
ESTIMATE_TOO_RECENT = dt.timedelta(days=28)  # "this week" is too early for "no answer in a month"
MAX_RELATED = 4  # related topics under an answer: two rows of two on a phone
# The menu's draft button, which opens the follow-up once the objection is sent.
DRAFT = ButtonId("d")


class Screens(DocumentScreens):
    """Renders every screen of the flow; `show:` in flow.yaml names one of the `show_*` methods."""

    def __init__(self, content: Content, today, bot_link: str | None = None):
        self.content = content
        self.flow = content.flow
        self.bot_link = bot_link  # e.g. https://t.me/<bot username>, known once on Telegram
        self.inline_sharing = False  # the bot answers inline queries: share with its cards
        self._today = today

    def render(self, session: Session, notices: list[Notice] = ()) -> list[Reply]:
        _ = self.content.catalogs.translator(session.lang)
        screen = self.flow.screens[session.state]
        if screen.show:
            replies = getattr(self, f"show_{screen.show}")(screen, session, _)
        else:
            replies = [self._reply(screen, session, _, text=_(screen.text, **self._params(screen)))]
        step = self._step_line(session, _)
        notices = [_(self.flow.messages[n.key], **n.params) for n in notices]
        return _with_notices(replies, [*notices, step] if step else notices)

    def offered(self, session: Session) -> set[ButtonId]:
        """Every button the current step offers, to validate a press without rendering the step."""
        screen = self.flow.screens[session.state]
        return {button for row in self.rows(screen, session) for button in row}

    def rows(self, screen: Screen, session: Session) -> list[tuple[ButtonId, ...]]:
        """The step's button rows: those its renderer adds for this session, then flow.yaml's."""
        dynamic = getattr(self, f"_rows_{screen.show}", None)
        rows = [*(dynamic(session) if dynamic else ()), *screen.rows]
        if Slots(session.slots).has("pending"):
            rows.insert(0, (ButtonId(ButtonId.USE_TYPED),))
        return [*rows, screen.footer] if screen.footer else rows

    def topic_reply(
        self,
        topic_id: str,
        session: Session,
        footer: tuple[ButtonId, ...],
        expanded: bool,
        actions: bool = True,
        nearby: tuple[str, ...] = (),
    ) -> Reply:
        """A topic's answer: the short part, then either a "More" button or the details; with
        `actions`, the buttons for what the answer offers to do (a draft, a complaint); `nearby`
        topics come first among the related ones."""
        _ = self.content.catalogs.translator(session.lang)
        topic = self.content.knowledge.topics[topic_id]
        text = self.short_answer(topic, _)
        if topic.details and expanded:
            text += "\n\n" + _(topic.details).strip()
        return Reply(
            title=_(topic.title),
            text=text,
            sources=tuple(Source(_(source.title), source.url) for source in topic.sources),
            sources_label=_(self.flow.messages["sources"]),
            checked=_(self.flow.messages["checked_on"], date=_.date(topic.checked)),
            buttons=self._buttons(
                [*_topic_rows(topic, expanded, actions, nearby), footer], session, _
            ),
        )

    def short_answer(self, topic, _: Translator) -> str:
        """What a topic shows before "More": its `opens_with` message, if any, then its answer."""
        lead = [_(self.flow.messages[topic.opens_with]).strip()] if topic.opens_with else []
        return "\n\n".join([*lead, _(topic.answer).strip()])

    def button(self, button_id: ButtonId, session: Session, _: Translator) -> Button:
        """A button; an answer the user already gave to this step shows its ✅ (after Back)."""
        label = self._label(button_id, session, _)
        sets = self.flow.screens[session.state].sets
        chosen = str(session.slots.get(sets)) == button_id.value
        if button_id.code == ButtonId.ANSWER and sets not in ("", "complaint_lang") and chosen:
            label = CHECKED + label
        return Button(id=button_id.callback_data(self.flow.version), label=label)

    def _label(self, button_id: ButtonId, session: Session, _: Translator) -> str:
        """Answers that come from content (Meta's outcomes, countries, the complaint's language)
        first, since a flow label may share their value (e.g. "a:other")."""
        value, sets = button_id.value, self.flow.screens[session.state].sets
        answer = button_id.code == ButtonId.ANSWER
        outcomes = {outcome.id for outcome in self.content.complaints.outcomes}
        if answer and sets == "complaint_lang":
            return _(self.flow.messages[f"write_in_{value}"])
        if answer and sets == "outcome" and value in outcomes:
            return _(self.content.complaints.outcome(value).label)
        if answer and sets == "country":
            return _(self.content.letters.country(value).label)
        if button_id in self.flow.labels:
            return _(self.flow.labels[button_id])
        if button_id.code == ButtonId.SECTION:
            return _(self.content.knowledge.sections[value].title)
        if button_id.code == ButtonId.TOPIC:
            return _(self.content.knowledge.topics[value].title)
        if button_id.code == ButtonId.MORE:
            return _(self.flow.labels[ButtonId(ButtonId.MORE)])
        if button_id.code == ButtonId.GROUND:
            ground = self.content.letters.ground(value)
            chosen = value in Slots(session.slots).grounds
            return (CHECKED if chosen else f"{ground.icon} ") + _(ground.label)
        raise ContentError(f"{self.flow.path}: no label for the button {str(button_id)!r}")

    # Buttons that depend on the session, for the renderers of the same name

    def _rows_section(self, session: Session) -> list[tuple[ButtonId, ...]]:
        section = self._section(session)
        topics = [(ButtonId.topic(topic),) for topic in section.topics]
        return [*topics, *((ButtonId.parse(action),) for action in section.actions)]

    def _rows_topic(self, session: Session) -> list[tuple[ButtonId, ...]]:
        slots = Slots(session.slots)
        return _topic_rows(self._topic(session), slots.expanded, nearby=slots.nearby)

    def _rows_grounds(self, session: Session) -> list[tuple[ButtonId, ...]]:
        """One ground per row, so that a short label fits a phone's button."""
        return [(ButtonId.ground(ground.id),) for ground in self.content.letters.grounds]

    def _rows_countries(self, session: Session) -> list[tuple[ButtonId, ...]]:
        _ = self.content.catalogs.translator(session.lang)
        countries = self.content.letters.countries
        pinned, others = countries[:PINNED_COUNTRIES], countries[PINNED_COUNTRIES:]
        others = sorted(others, key=lambda country: collation_key(_(country.label)))
        return _rows([ButtonId.answer(country.code) for country in (*pinned, *others)], 3)

    def _rows_outcomes(self, session: Session) -> list[tuple[ButtonId, ...]]:
        """Meta's possible answers; "no answer" only once its month to answer is over (for an
        estimate such as "this week", once it is clearly over)."""
        slots, today = Slots(session.slots), self._today()
        sent_on = from_iso(slots.sent_on)
        if sent_on is None:
            too_early = False
        elif slots.sent_approx:
            too_early = today - sent_on < ESTIMATE_TOO_RECENT
        else:
            too_early = today < reminder_day(sent_on)
        return [
            (ButtonId.answer(outcome.id),)
            for outcome in self.content.complaints.outcomes
            if not (too_early and outcome.id == "no_answer")
        ]

    _rows_reminder = _rows_outcomes

    def _rows_followup(self, session: Session) -> list[tuple[ButtonId, ...]]:
        return [(ButtonId(ButtonId.CANCEL_REMINDER),)] if Slots(session.slots).remind_on else []

    # Renderers named by `show:`

    def show_menu(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        """The menu; once the objection is sent, the draft button says that it opens what next."""
        reply = self._reply(screen, session, _, _(screen.text))
        sent = (Slots(session.slots).draft_at or "").startswith("followup")
        draft = DRAFT.callback_data(self.flow.version)
        next_steps = _(self.flow.messages["menu_followup"])
        rows = tuple(
            tuple(Button(b.id, next_steps) if sent and b.id == draft else b for b in row)
            for row in reply.buttons
        )
        return [Reply(text=reply.text, buttons=(*rows, *self._share(session, _)))]

    def show_section(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        section = self._section(session)
        return [self._reply(screen, session, _, _(section.text), _(section.title))]

    def show_topic(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        slots = Slots(session.slots)
        topic = self._topic(session).id
        return [
            self.topic_reply(topic, session, screen.footer, slots.expanded, nearby=slots.nearby)
        ]

    def show_grounds(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        """Each ground's one-line explanation once, after the icon its button shows too."""
        grounds = self.content.letters.grounds
        line = self.flow.messages["ground_line"]
        lines = [_(line, icon=ground.icon, summary=_(ground.summary)) for ground in grounds]
        text = "\n\n".join([_(self.flow.messages["grounds"]).strip(), "\n".join(lines)])
        return [self._reply(screen, session, _, text)]

    def show_countries(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        key = "countries" if screen.is_draft_step else "complaint_countries"
        return [self._reply(screen, session, _, _(self.flow.messages[key]).strip())]

    def show_review(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        slots, messages = Slots(session.slots), self.flow.messages
        not_set = _(messages["not_set"])

        def label(value: str) -> str:
            return self._label(ButtonId.answer(value), session, _)

        accounts = slots.accounts
        values = {
            "review_accounts": label(accounts) if accounts else not_set,
            "review_linked": label(slots.linked) if slots.linked else None,
            "review_grounds": ", ".join(
                _(self.content.letters.ground(r).label) for r in slots.grounds
            )
            or not_set,
            "review_detail": slots.detail or None,
            "review_name": slots.name or not_set,
            "review_country": _(self.content.letters.country(slots.country).label)
            if slots.country
            else not_set,
            "review_letter_lang": label(self.letter_language(session)),
        }
        lines = [_(messages[key], value=value) for key, value in values.items() if value]
        lines.append(
            _(messages["review_account"], value=slots.login)
            if slots.login
            else _(messages["review_account_blank"])
        )
        paragraphs = [_(messages["review"]), "\n".join(lines)]
        typed_in = slots.detail_lang or session.lang
        if slots.detail and typed_in != self.letter_language(session):
            paragraphs.append(_(messages["sentence_language"]).strip())
        return [self._reply(screen, session, _, "\n\n".join(paragraphs))]

    def show_reminder_offer(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        sent_on = from_iso(Slots(session.slots).sent_on)
        text = _(self.flow.messages["reminder_offer"], date=_.date(reminder_day(sent_on)))
        return [self._reply(screen, session, _, text)]

    def show_followup(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        slots, messages = Slots(session.slots), self.flow.messages
        lines = [_(messages["followup_sent_on"], date=_.date(from_iso(slots.sent_on)))]
        if slots.remind_on:
            lines.append(
                _(messages["followup_reminder_on"], date=_.date(from_iso(slots.remind_on)))
            )
        lines += [_(messages["followup_what_if"]).strip(), _(messages["share_text"])]
        reply = self._reply(screen, session, _, "\n\n".join(lines))
        return [
            Reply(
                text=reply.text,
                buttons=(*reply.buttons[:-1], *self._share(session, _), reply.buttons[-1]),
            )
        ]

    def show_reminder(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        text = _(
            self.flow.messages["reminder"], date=_.date(from_iso(Slots(session.slots).sent_on))
        )
        return [self._reply(screen, session, _, text)]

    def show_forget(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        text = f"{_(screen.text).strip()}\n\n{_(self.flow.messages['privacy']).strip()}"
        return [self._reply(screen, session, _, text)]

    def show_alerts(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        since = Slots(session.slots).alerts
        messages = self.flow.messages
        text = _(messages["alerts_on"], date=_.date(from_iso(since))) if since else None
        return [self._reply(screen, session, _, text or _(messages["alerts_offer"]))]

    def _rows_alerts(self, session: Session) -> list[tuple[ButtonId, ...]]:
        """Stop them, or ask for them."""
        code = ButtonId.UNSUBSCRIBE if Slots(session.slots).alerts else ButtonId.SUBSCRIBE
        return [(ButtonId(code),)]

    def show_outcomes(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        text = _(self.flow.messages["outcomes"])
        return [self._reply(screen, session, _, text)]

    # Helpers

    def _step_line(self, session: Session, _: Translator) -> str:
        """ "Step 2 of 5." counting only the steps this user will see."""
        turn = Turn(session, None, frozenset(), self._today())
        steps = [
            step.state
            for step in self.flow.numbered_steps
            if not step.when or getattr(turn, step.when)(None)
        ]
        if session.state not in steps:
            return ""
        number = steps.index(session.state) + 1
        return _(self.flow.messages["step"], number=number, total=len(steps))

    def _share(self, session: Session, _: Translator) -> tuple[tuple[Button, ...], ...]:
        """Share the bot with its inline cards, or, without inline mode, a Telegram share link to
        it in the user's language; nothing when the bot's link is not known (the console)."""
        if not self.bot_link:
            return ()
        label = _(self.flow.messages["share_button"])
        if self.inline_sharing:
            return ((Button(id="inline:share", label=label, inline_query=""),),)
        deep_link = f"{self.bot_link}?start={session.lang}"
        query = urlencode({"url": deep_link, "text": _(self.flow.messages["share_message"])})
        url = f"https://t.me/share/url?{query}"
        return ((Button(id="url:share", label=label, url=url),),)

    def letter_language(self, session: Session) -> str:
        return Slots(session.slots).letter_lang or session.lang

    def _section(self, session: Session):
        return self.content.knowledge.sections[Slots(session.slots).section or "uses"]

    def _topic(self, session: Session):
        return self.content.knowledge.topics[Slots(session.slots).topic or "data_used"]

    def _reply(self, screen, session, _, text, title="") -> Reply:
        buttons = self._buttons(self.rows(screen, session), session, _)
        return Reply(text=text.strip(), title=title, buttons=buttons)

    def _buttons(self, rows, session, _) -> tuple[tuple[Button, ...], ...]:
        return tuple(tuple(self.button(b, session, _) for b in row) for row in rows if row)

    @staticmethod
    def _params(screen: Screen) -> dict:
        return {"limit": screen.input.limit} if screen.input else {}


def _with_notices(replies: list[Reply], notices: list[str]) -> list[Reply]:
    """Put notices above the first reply, so a step stays one message that can be edited in place."""
    if not notices:
        return replies
    first = replies[0]
    text = "\n\n".join([*(notice.strip() for notice in notices), first.text])
    return [Reply(**{**first.__dict__, "text": text}), *replies[1:]]


def _topic_rows(
    topic, expanded: bool, actions: bool = True, nearby: tuple[str, ...] = ()
) -> list[tuple[ButtonId, ...]]:
    """Under an answer: "More" while its details are hidden, what it offers to do (a draft, a
    complaint), one per row, then related topics: first those the question was nearly about."""
    more = [(ButtonId.more(topic.id),)] if topic.details and not expanded else []
    offers = [(ButtonId.parse(action),) for action in topic.actions] if actions else []
    related = list(dict.fromkeys([*nearby, *topic.related]))[:MAX_RELATED]
    return [*more, *offers, *_rows([ButtonId.topic(other) for other in related], 2)]


def _rows(items: list, width: int) -> list[tuple]:
    return [tuple(items[i : i + width]) for i in range(0, len(items), width)]
