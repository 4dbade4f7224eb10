"""The screens of the two documents: the objection's result and letter, and the complaint's questions,
result and text. Screens inherits them; they use its helpers (`_reply`, `_share`, `letter_language`).
"""

from __future__ import annotations

from bot.dates import from_iso
from bot.drafting import ComplaintAnswers, DraftAnswers
from bot.engine.buttons import ButtonId
from bot.engine.flow import Screen
from bot.engine.model import Attachment, Button, CopyBlock, Reply, Session
from bot.engine.slots import Slots
from bot.i18n import Translator

COPY_BUTTON_LIMIT = 256  # Telegram's CopyTextButton


class DocumentScreens:
    def _rows_grounds_given(self, session: Session) -> list[tuple[ButtonId, ...]]:
        """ "This bot's text" only for a user who drafted an objection here."""
        return [(ButtonId.answer("ours"),)] if Slots(session.slots).grounds else []

    def _rows_complaint(self, session: Session) -> list[tuple[ButtonId, ...]]:
        """The complaint's language: the button offers the other one."""
        other = "fr" if self.complaint_answers(session).lang == "en" else "en"
        return [(ButtonId.answer(other),)]

    def show_draft(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        """Action first: the steps with the copy button and the form; then the letter as a file."""
        answers = self.draft_answers(session)
        draft = self.content.writer.compose(answers, self._today(), guidance_lang=session.lang)
        letters, messages = self.content.letters, self.flow.messages
        chosen = [p for p in letters.accounts if p.id in answers.accounts]
        paths = "\n".join(_(account.form_path) for account in chosen)
        paragraphs = [_(messages["result_steps"], paths=paths).strip()]
        if len(chosen) > 1:
            linked = {True: "accounts_linked", False: "accounts_separate"}
            key = linked.get(answers.linked, "accounts_unsure")
            paragraphs.append(_(letters.texts["guidance"][key]))
        forms = tuple(
            Button(f"url:{p.id}", _(messages[f"open_form_{p.id}"]), self.flow.links[p.id])
            for p in chosen
        )
        title = _(messages["result_title"])
        steps = self._reply(screen, session, _, "\n\n".join(paragraphs), title)
        files = ("letter_filename", "letter_caption", "letter_pdf_filename", "letter_pdf_caption")
        return self._action_first(steps, draft, (forms,), files, session, _)

    def show_letter(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        """The letter's text, on request, with where to send it and when the answer is due."""
        draft = self.content.writer.compose(self.draft_answers(session), self._today())
        messages = self.flow.messages
        title = _(messages["letter_title"])
        reply = self._reply(screen, session, _, _(messages["letter_view"]), title)
        dpo = Button("url:dpo", _(messages["dpo_button"]), self.content.letters.dpo_contact)
        return [
            Reply(
                title=reply.title,
                text=reply.text,
                copy=CopyBlock(draft.letter),
                buttons=((dpo,), *reply.buttons),
            )
        ]

    def show_grounds_given(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        via = Slots(session.slots).objected_via or "form"
        return [self._reply(screen, session, _, _(self.flow.messages[f"grounds_given_{via}"]))]

    def show_complaint(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        """Action first: where and how to file, with the copy button; then the file."""
        answers = self.complaint_answers(session)
        draft = self.content.complaint_writer.compose(
            answers, self._today(), guidance_lang=session.lang
        )
        messages = self.flow.messages
        steps = self._reply(screen, session, _, draft.guidance, _(messages["complaint_title"]))
        code = answers.country.upper() or self.content.letters.lead_authority.code
        url = self.content.complaints.route_urls.get(code)
        page = ((Button("url:authority", _(messages["authority_button"]), url),),) if url else ()
        files = (
            "complaint_letter_filename",
            "complaint_caption",
            "complaint_pdf_filename",
            "complaint_pdf_caption",
        )
        return self._action_first(steps, draft, page, files, session, _)

    def _action_first(self, steps: Reply, draft, links, files, session, _) -> list[Reply]:
        """A draft as people use it: the steps with the copy button, the `links` above the step's
        buttons and the share button; then the text file and the printable PDF, each with a
        one-line caption. `files` names flow.yaml's messages: the text file's name and caption,
        then the PDF's."""
        text_name, text_caption, pdf_name, pdf_caption = (self.flow.messages[k] for k in files)
        first = Reply(
            title=steps.title,
            text=steps.text,
            copy=CopyBlock(draft.short, one_tap=len(draft.short) <= COPY_BUTTON_LIMIT),
            buttons=(*links, *steps.buttons[:-1], *self._share(session, _), steps.buttons[-1]),
        )
        return [
            first,
            Reply(text=_(text_caption), attachment=Attachment(_(text_name), draft.letter)),
            Reply(text=_(pdf_caption), attachment=Attachment(_(pdf_name), draft.document)),
        ]

    def show_complaint_letter(self, screen: Screen, session: Session, _: Translator) -> list[Reply]:
        answers = self.complaint_answers(session)
        draft = self.content.complaint_writer.compose(answers, self._today())
        messages = self.flow.messages
        title = _(messages["complaint_letter_title"])
        reply = self._reply(screen, session, _, _(messages["complaint_view"]), title)
        copy = CopyBlock(draft.letter)
        return [Reply(title=reply.title, text=reply.text, copy=copy, buttons=reply.buttons)]

    # The answers each document is written from

    def draft_answers(self, session: Session) -> DraftAnswers:
        slots = Slots(session.slots)
        accounts = slots.accounts or "facebook"
        linked = {"yes": True, "no": False}.get(slots.linked or "")
        return DraftAnswers(
            accounts=("facebook", "instagram") if accounts == "both" else (accounts,),
            grounds=tuple(slots.grounds),
            linked=linked,
            detail=slots.detail,
            name=slots.name,
            country=slots.country,
            lang=self.letter_language(session),
            login=slots.login,
        )

    def complaint_answers(self, session: Session) -> ComplaintAnswers:
        """Only what the user told us: the grounds and the sentence of a draft made here count
        only when the objection used this bot's letter or text."""
        slots = Slots(session.slots)
        via = slots.objected_via or "letter"
        ours = via == "letter" or slots.stated == "ours"
        accounts = {"both": ("facebook", "instagram"), None: ()}.get(
            slots.accounts, (slots.accounts,)
        )
        return ComplaintAnswers(
            accounts=accounts,
            grounds=tuple(slots.grounds) if ours else (),
            outcome=slots.outcome or "no_answer",
            sent_on=from_iso(slots.sent_on),
            country=slots.country,
            name=slots.name,
            detail=slots.detail if ours else "",
            lang=slots.complaint_lang
            or self.content.complaints.default_language(slots.country, session.lang),
            objected_via=via,
            own_grounds=slots.stated == "own",
            sent_approx=slots.sent_approx,
        )
