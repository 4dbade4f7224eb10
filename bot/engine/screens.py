"""Turn a state and a session into Replies: the words come from the catalogs, the shape from flow.yaml."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from bot.dates import reminder_day
from bot.drafting import ComplaintAnswers, DraftAnswers
from bot.engine.buttons import ButtonId
from bot.engine.content import Content
from bot.engine.flow import Screen
from bot.engine.model import Attachment, Button, CopyBlock, Reply, Session, Source
from bot.engine.slots import Slots
from bot.engine.turn import Notice
from bot.errors import ContentError
from bot.i18n import Translator, collation_key

CHECKED = "✅ "
COPY_BUTTON_LIMIT = 256  # Telegram's CopyTextButton
PINNED_COUNTRIES = 3  # letter.yaml lists France, Belgium and Luxembourg first; the rest go A to Z


class Screens:
    """Renders every screen of the flow; `show:` in flow.yaml names one of the `show_*` methods."""

    def __init__(self, content: Content, today, bot_link: str | None = None):
        self.content = content
        self.flow = content.flow
        self.bot_link = bot_link  # e.g. https://t.me/<bot username>, known once on Telegram
        self._today = today

    def render(self, session: Session, notices: list[Notice] = ()) -> list[Reply]:
        _ = self.content.catalogs.translator(session.lang)
        screen = self.flow.screens[session.state]
        if screen.show:
            replies = getattr(self, f"show_{screen.show}")(screen, session, _)
        else:
            replies = [self._reply(screen, session, _, text=_(screen.text, **self._params(screen)))]
        return _with_notices(replies, [_(self.flow.messages[n.key], **n.params) for n in notices])

    def offered(self, session: Session) -> set[ButtonId]:
        """Every button the current step offers, to validate a press without rendering the step."""
        screen = self.flow.screens[session.state]
        return {button for row in self.rows(screen, session) for button in row}

    def rows(self, screen: Screen, session: Session) -> list[tuple[ButtonId, ...]]:
        """The step's button rows: those its renderer adds for this session, then flow.yaml's."""
        dynamic = getattr(self, f"_rows_{screen.show}", None)
        rows = [*(dynamic(session) if dynamic else ()), *screen.rows]
        return [*rows, screen.footer] if screen.footer else rows

    def topic_reply(
        self,
        topic_id: str,
        session: Session,
        footer: tuple[ButtonId, ...],
        expanded: bool,
        actions: bool = True,
    ) -> Reply:
        """A topic's answer: the short part, then either a "More" button or the details; with
        `actions`, the buttons for what the answer offers to do (a draft, a complaint)."""
        _ = self.content.catalogs.translator(session.lang)
        topic = self.content.knowledge.topics[topic_id]
        text = _(topic.answer).strip()
        if topic.details and expanded:
            text += "\n\n" + _(topic.details).strip()
        return Reply(
            title=_(topic.title),
            text=text,
            sources=tuple(Source(_(source.title), source.url) for source in topic.sources),
            sources_label=_(self.flow.messages["sources"]),
            checked=_(self.flow.messages["checked_on"], date=_.date(topic.checked)),
            buttons=self._buttons([*_topic_rows(topic, expanded, actions), footer], session, _),
        )

    def button(self, button_id: ButtonId, session: Session, _: Translator) -> Button:
        value, sets = button_id.value, self.flow.screens[session.state].sets
        if button_id in self.flow.labels:
            label = _(self.flow.labels[button_id])
        elif button_id.code == ButtonId.SECTION:
            label = _(self.content.knowledge.sections[value].title)
        elif button_id.code == ButtonId.TOPIC:
            label = _(self.content.knowledge.topics[value].title)
        elif button_id.code == ButtonId.MORE:
            label = _(self.flow.labels[ButtonId(ButtonId.MORE)])
        elif button_id.code == ButtonId.GROUND:
            chosen = value in Slots(session.slots).reasons
            label = (CHECKED if chosen else "") + _(self.content.letters.reason(value).label)
        elif button_id.code == ButtonId.ANSWER and sets == "country":
            label = _(self.content.letters.country(value).label)
        elif button_id.code == ButtonId.ANSWER and sets == "outcome":
            label = _(self.content.complaints.outcome(value).label)
        else:
            raise ContentError(f"{self.flow.path}: no label for the button {str(button_id)!r}")
        return Button(id=button_id.callback_data(self.flow.version), label=label)

    # Buttons that depend on the session, for the renderers of the same name

    def _rows_section(self, session: Session) -> list[tuple[ButtonId, ...]]:
        return [(ButtonId.topic(topic),) for topic in self._section(session).topics]

    def _rows_topic(self, session: Session) -> list[tuple[ButtonId, ...]]:
        return _topic_rows(self._topic(session), Slots(session.slots).expanded)

    def _rows_grounds(self, session: Session) -> list[tuple[ButtonId, ...]]:
        return _rows([ButtonId.ground(reason.id) for reason in self.content.letters.reasons], 2)

    def _rows_countries(self, session: Session) -> list[tuple[ButtonId, ...]]:
        _ = self.content.catalogs.translator(session.lang)
        countries = self.content.letters.countries
        pinned, others = countries[:PINNED_COUNTRIES], countries[PINNED_COUNTRIES:]
        others = sorted(others, key=lambda country: collation_key(_(country.label)))
        return _rows([ButtonId.answer(country.code) for country in (*pinned, *others)], 3)

    def _rows_outcomes(self, session: Session) -> list[tuple[ButtonId, ...]]:
        """Meta's possible answers; "no answer" only once its month to answer is over."""
        sent_on = _day(Slots(session.slots).sent_on)
        too_early = sent_on is not None and self._today() < reminder_day(sent_on)
        return [
            (ButtonId.answer(outcome.id),)
            for outcome in self.content.complaints.outcomes
            if not (too_early and outcome.id == "no_answer")
        ]

    _rows_reminder = _rows_outcomes

    def _rows_followup(self, session: Session) -> list[tuple[ButtonId, ...]]:
        return [(ButtonId(ButtonId.CANCEL_REMINDER),)] if Slots(session.slots).remind_on else []

    # Renderers named by `show:`

    def show_section(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        section = self._section(session)
        return [self._reply(screen, session, _, _(section.text), _(section.title))]

    def show_topic(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        expanded = Slots(session.slots).expanded
        return [self.topic_reply(self._topic(session).id, session, screen.footer, expanded)]

    def show_grounds(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        reasons = self.content.letters.reasons
        line = self.flow.messages["ground_line"]
        lines = [_(line, label=_(reason.label), summary=_(reason.summary)) for reason in reasons]
        text = "\n\n".join([_(self.flow.messages["grounds"]).strip(), "\n".join(lines)])
        return [self._reply(screen, session, _, text)]

    def show_countries(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        text = _(self.flow.messages["countries"]).strip()
        return [self._reply(screen, session, _, text)]

    def show_review(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        slots, messages = Slots(session.slots), self.flow.messages
        not_set = _(messages["not_set"])

        def label(value: str) -> str:
            return self.button(ButtonId.answer(value), session, _).label

        platforms = slots.platforms
        values = {
            "review_accounts": label(platforms) if platforms else not_set,
            "review_linked": label(slots.linked) if slots.linked else None,
            "review_grounds": ", ".join(
                _(self.content.letters.reason(r).label) for r in slots.reasons
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
        text = _(messages["review"]) + "\n\n" + "\n".join(lines)
        return [self._reply(screen, session, _, text)]

    def show_draft(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        answers = self.draft_answers(session)
        draft = self.content.writer.compose(answers, self._today(), guidance_lang=session.lang)
        links = tuple(
            Button(
                id=f"url:{platform}", label=_(self.flow.messages[f"open_form_{platform}"]), url=url
            )
            for platform, url in self.flow.links.items()
            if platform in answers.platforms
        )
        return self._document(screen, session, _, draft, "", links)

    def show_complaint(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        slots, draft_answers = Slots(session.slots), self.draft_answers(session)
        answers = ComplaintAnswers(
            platforms=draft_answers.platforms,
            reasons=draft_answers.reasons,
            outcome=slots.outcome or "no_answer",
            sent_on=_day(slots.sent_on),
            country=draft_answers.country,
            name=draft_answers.name,
            detail=draft_answers.detail,
            lang=draft_answers.lang,
        )
        draft = self.content.complaint_writer.compose(
            answers, self._today(), guidance_lang=session.lang
        )
        return self._document(screen, session, _, draft, "complaint_", ())

    def show_reminder_offer(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        sent_on = _day(Slots(session.slots).sent_on)
        text = _(self.flow.messages["reminder_offer"], date=_.date(reminder_day(sent_on)))
        return [self._reply(screen, session, _, text)]

    def show_followup(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        slots, messages = Slots(session.slots), self.flow.messages
        lines = [_(messages["followup_sent_on"], date=_.date(_day(slots.sent_on)))]
        if slots.remind_on:
            lines.append(_(messages["followup_reminder_on"], date=_.date(_day(slots.remind_on))))
        lines += [_(messages["followup_what_if"]).strip(), _(messages["share_text"])]
        reply = self._reply(screen, session, _, "\n\n".join(lines))
        return [
            Reply(
                text=reply.text,
                buttons=(*reply.buttons[:-1], *self._share(session, _), reply.buttons[-1]),
            )
        ]

    def show_reminder(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        text = _(self.flow.messages["reminder"], date=_.date(_day(Slots(session.slots).sent_on)))
        return [self._reply(screen, session, _, text)]

    def show_outcomes(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        text = _(self.flow.messages["outcomes"])
        return [self._reply(screen, session, _, text)]

    # Helpers

    def draft_answers(self, session: Session) -> DraftAnswers:
        slots = Slots(session.slots)
        platforms = slots.platforms or "facebook"
        linked = {"yes": True, "no": False}.get(slots.linked or "")
        return DraftAnswers(
            platforms=("facebook", "instagram") if platforms == "both" else (platforms,),
            reasons=tuple(slots.reasons),
            linked=linked,
            detail=slots.detail,
            name=slots.name,
            country=slots.country,
            lang=self.letter_language(session),
        )

    def _document(self, screen, session, _, draft, kind: str, links) -> list[Reply]:
        """A draft as three messages: the short version, the full text as a file, the guidance."""
        messages = self.flow.messages
        short = Reply(
            title=_(messages[f"{kind}short_title"]),
            text=_(messages[f"{kind}short_text"]),
            copy=CopyBlock(draft.short, one_tap=len(draft.short) <= COPY_BUTTON_LIMIT),
        )
        letter = Reply(
            title=_(messages[f"{kind}letter_title"]),
            text=_(messages[f"{kind}letter_text"]),
            copy=CopyBlock(draft.letter),
            attachment=Attachment(_(messages[f"{kind}letter_filename"]), draft.letter),
        )
        guidance = self._reply(screen, session, _, draft.guidance.strip())
        buttons = (links, *guidance.buttons) if links else guidance.buttons
        return [short, letter, Reply(text=guidance.text, buttons=buttons)]

    def _share(self, session: Session, _: Translator) -> tuple[tuple[Button, ...], ...]:
        """A Telegram share link to this bot in the user's language, when the bot's link is known."""
        if not self.bot_link:
            return ()
        deep_link = f"{self.bot_link}?start={session.lang}"
        query = urlencode({"url": deep_link, "text": _(self.flow.messages["share_message"])})
        url = f"https://t.me/share/url?{query}"
        return ((Button(id="url:share", label=_(self.flow.messages["share_button"]), url=url),),)

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


def _day(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None


def _topic_rows(topic, expanded: bool, actions: bool = True) -> list[tuple[ButtonId, ...]]:
    """Under an answer: "More" while its details are hidden, what it offers to do, related topics."""
    more = [(ButtonId.more(topic.id),)] if topic.details and not expanded else []
    offers = [tuple(map(ButtonId.parse, topic.actions))] if actions and topic.actions else []
    return [*more, *offers, *_rows([ButtonId.topic(other) for other in topic.related], 2)]


def _rows(items: list, width: int) -> list[tuple]:
    return [tuple(items[i : i + width]) for i in range(0, len(items), width)]
