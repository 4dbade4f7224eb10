"""Turn a state and a session into Replies: the words come from the catalogs, the shape from flow.yaml."""

from __future__ import annotations

import datetime as dt
from functools import partial
from urllib.parse import urlencode

from bot.dates import reminder_day
from bot.drafting import ComplaintAnswers, DraftAnswers
from bot.engine.content import Content
from bot.engine.flow import Screen
from bot.engine.model import Attachment, Button, CopyBlock, Reply, Session, Source
from bot.engine.turn import Notice
from bot.errors import ContentError
from bot.i18n import Translator

CHECKED = "✅ "
COPY_BUTTON_LIMIT = 256  # Telegram's CopyTextButton


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

    def button_ids(self, session: Session) -> set[str]:
        """Every button the current step offers (dynamic ones included), to validate a press."""
        replies = self.render(session)
        return {b.id.partition("|")[2] for reply in replies for row in reply.buttons for b in row}

    def topic_reply(self, topic_id: str, session: Session, footer: tuple[str, ...]) -> Reply:
        _ = self.content.catalogs.translator(session.lang)
        topic = self.content.knowledge.topics[topic_id]
        checked_on = partial(_, self.flow.messages["checked_on"])
        related = _rows([self.button(f"t:{other}", session, _) for other in topic.related], 2)
        return Reply(
            title=_(topic.title),
            text=_(topic.answer).strip(),
            sources=tuple(
                Source(_(source.title), source.url, checked_on(date=_.date(source.checked)))
                for source in topic.sources
            ),
            sources_label=_(self.flow.messages["sources"]),
            buttons=(*related, self._row(footer, session, _)),
        )

    def button(self, button_id: str, session: Session, _: Translator) -> Button:
        code, _sep, value = button_id.partition(":")
        if button_id in self.flow.labels:
            label = _(self.flow.labels[button_id])
        elif code == "s":
            label = _(self.content.knowledge.sections[value].title)
        elif code == "t":
            label = _(self.content.knowledge.topics[value].title)
        elif code == "g":
            chosen = value in session.slots.get("reasons", ())
            label = (CHECKED if chosen else "") + _(self.content.letters.reason(value).label)
        elif code == "a" and self.flow.screens[session.state].sets == "country":
            label = _(self.content.letters.country(value).label)
        elif code == "a" and self.flow.screens[session.state].sets == "outcome":
            label = _(self.content.complaints.outcome(value).label)
        else:
            raise ContentError(f"{self.flow.path}: no label for the button {button_id!r}")
        return Button(id=f"{self.flow.version}|{button_id}", label=label)

    # Renderers named by `show:`

    def show_section(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        section = self.content.knowledge.sections[session.slots.get("section", "uses")]
        topics = [(f"t:{topic}",) for topic in section.topics]
        return [self._reply(screen, session, _, _(section.text), _(section.title), topics)]

    def show_topic(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        return [self.topic_reply(session.slots.get("topic", "data_used"), session, screen.footer)]

    def show_grounds(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        reasons = self.content.letters.reasons
        line = self.flow.messages["ground_line"]
        lines = [_(line, label=_(reason.label), summary=_(reason.summary)) for reason in reasons]
        text = "\n\n".join([_(self.flow.messages["grounds"]).strip(), "\n".join(lines)])
        rows = _rows([f"g:{reason.id}" for reason in reasons], 2)
        return [self._reply(screen, session, _, text, rows=rows)]

    def show_countries(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        codes = [f"a:{country.code}" for country in self.content.letters.countries]
        rows = _rows(codes, 3)
        text = _(self.flow.messages["countries"]).strip()
        return [self._reply(screen, session, _, text, rows=rows)]

    def show_review(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        slots, messages = session.slots, self.flow.messages
        not_set = _(messages["not_set"])

        def label(button_id: str) -> str:
            return self.button(button_id, session, _).label

        platforms = slots.get("platforms")
        values = {
            "review_accounts": label(f"a:{platforms}") if platforms else not_set,
            "review_linked": label(f"a:{slots['linked']}") if "linked" in slots else None,
            "review_grounds": ", ".join(
                _(self.content.letters.reason(r).label) for r in slots.get("reasons", ())
            )
            or not_set,
            "review_detail": slots.get("detail") or None,
            "review_name": slots.get("name") or not_set,
            "review_country": _(self.content.letters.country(slots["country"]).label)
            if slots.get("country")
            else not_set,
            "review_letter_lang": label(f"a:{self.letter_language(session)}"),
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
        slots, draft_answers = session.slots, self.draft_answers(session)
        answers = ComplaintAnswers(
            platforms=draft_answers.platforms,
            reasons=draft_answers.reasons,
            outcome=slots.get("outcome", "no_answer"),
            sent_on=_day(slots.get("sent_on")),
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
        sent_on = _day(session.slots["sent_on"])
        text = _(self.flow.messages["reminder_offer"], date=_.date(reminder_day(sent_on)))
        return [self._reply(screen, session, _, text)]

    def show_followup(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        slots, messages = session.slots, self.flow.messages
        lines = [_(messages["followup_sent_on"], date=_.date(_day(slots["sent_on"])))]
        rows = []
        if "remind_on" in slots:
            lines.append(_(messages["followup_reminder_on"], date=_.date(_day(slots["remind_on"]))))
            rows.append(("z",))
        lines += [_(messages["followup_what_if"]).strip(), _(messages["share_text"])]
        reply = self._reply(screen, session, _, "\n\n".join(lines), rows=rows)
        return [
            Reply(
                text=reply.text,
                buttons=(*reply.buttons[:-1], *self._share(session, _), reply.buttons[-1]),
            )
        ]

    def show_reminder(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        text = _(self.flow.messages["reminder"], date=_.date(_day(session.slots["sent_on"])))
        return [self._reply(screen, session, _, text, rows=self._outcome_rows(session))]

    def show_outcomes(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        text = _(self.flow.messages["outcomes"])
        return [self._reply(screen, session, _, text, rows=self._outcome_rows(session))]

    # Helpers

    def draft_answers(self, session: Session) -> DraftAnswers:
        slots = session.slots
        platforms = slots.get("platforms", "facebook")
        linked = {"yes": True, "no": False}.get(slots.get("linked", ""))
        return DraftAnswers(
            platforms=("facebook", "instagram") if platforms == "both" else (platforms,),
            reasons=tuple(slots.get("reasons", ())),
            linked=linked,
            detail=slots.get("detail", ""),
            name=slots.get("name", ""),
            country=slots.get("country", ""),
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

    def _outcome_rows(self, session: Session) -> list[tuple[str, ...]]:
        """Meta's possible answers; "no answer" only once its month to answer is over."""
        sent_on = _day(session.slots.get("sent_on"))
        too_early = sent_on is not None and self._today() < reminder_day(sent_on)
        return [
            (f"a:{outcome.id}",)
            for outcome in self.content.complaints.outcomes
            if not (too_early and outcome.id == "no_answer")
        ]

    def _share(self, session: Session, _: Translator) -> tuple[tuple[Button, ...], ...]:
        """A Telegram share link to this bot in the user's language, when the bot's link is known."""
        if not self.bot_link:
            return ()
        deep_link = f"{self.bot_link}?start={session.lang}"
        query = urlencode({"url": deep_link, "text": _(self.flow.messages["share_message"])})
        url = f"https://t.me/share/url?{query}"
        return ((Button(id="url:share", label=_(self.flow.messages["share_button"]), url=url),),)

    def letter_language(self, session: Session) -> str:
        return session.slots.get("letter_lang") or session.lang

    def _reply(self, screen, session, _, text, title="", rows=None) -> Reply:
        rows = [*(rows or ()), *screen.rows]
        buttons = [self._row(row, session, _) for row in rows]
        if screen.footer:
            buttons.append(self._row(screen.footer, session, _))
        return Reply(text=text.strip(), title=title, buttons=tuple(buttons))

    def _row(self, ids, session, _) -> tuple[Button, ...]:
        return tuple(self.button(button_id, session, _) for button_id in ids)

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


def _rows(items: list, width: int) -> list[tuple]:
    return [tuple(items[i : i + width]) for i in range(0, len(items), width)]
