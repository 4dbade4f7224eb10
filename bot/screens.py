"""Turn a state and a session into Replies: the words come from the catalogs, the shape from flow.yaml."""

from __future__ import annotations

from functools import partial

from bot.content import Content
from bot.errors import ContentError
from bot.flow import Screen
from bot.i18n import Translator
from bot.letter import DraftAnswers
from bot.model import Attachment, Button, CopyBlock, Reply, Session, Source
from bot.turn import Notice

CHECKED = "✅ "


class Screens:
    """Renders every screen of the flow; `show:` in flow.yaml names one of the `show_*` methods."""

    def __init__(self, content: Content, today):
        self.content = content
        self.flow = content.flow
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
        elif code == "a" and session.state == "draft_country":
            label = _(self.content.letters.country(value).label)
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
        lines = [f"• {_(reason.label)}: {_(reason.summary)}" for reason in reasons]
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
            "review_detail": f"« {slots['detail']} »" if slots.get("detail") else not_set,
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
        messages = self.flow.messages
        draft = self.content.writer.compose(
            self.draft_answers(session), self._today(), guidance_lang=session.lang
        )
        short = Reply(
            title=_(messages["short_title"]),
            text=_(messages["short_text"]),
            copy=CopyBlock(draft.short, one_tap=len(draft.short) <= 256),
        )
        letter = Reply(
            title=_(messages["letter_title"]),
            text=_(messages["letter_text"]),
            copy=CopyBlock(draft.letter),
            attachment=Attachment(_(messages["letter_filename"]), draft.letter),
        )
        links = tuple(
            Button(id=f"url:{platform}", label=_(messages[f"open_form_{platform}"]), url=url)
            for platform, url in self.flow.links.items()
            if platform in self.draft_answers(session).platforms
        )
        guidance = self._reply(screen, session, _, draft.guidance.strip())
        guidance = Reply(text=guidance.text, buttons=(links, *guidance.buttons))
        return [short, letter, guidance]

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


def _rows(items: list, width: int) -> list[tuple]:
    return [tuple(items[i : i + width]) for i in range(0, len(items), width)]
