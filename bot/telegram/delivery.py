"""Showing replies in a chat: as new messages, or in place of the message whose button was pressed.

A step that fits one plain message replaces the pressed message, so the chat does not fill up with
old keyboards; anything with a copy block, a file or several messages is sent anew. Every text goes
out as HTML (the application's defaults set the parse mode), built by render.py.
"""

from __future__ import annotations

import asyncio

from telegram import Bot, Message
from telegram.error import BadRequest

from bot.drafting import letter_pdf
from bot.engine import Attachment, Reply
from bot.telegram.render import Outgoing, escape, render, utf16_length

# Telegram's answers that mean "send a new message instead" when editing.
CANNOT_EDIT = ("message can't be edited", "message to edit not found")
NOT_MODIFIED = "message is not modified"
CAPTION_LIMIT = 1024


async def send_replies(bot: Bot, chat_id: int, replies: tuple[Reply, ...], copy_label: str) -> None:
    for reply in replies:
        caption = _caption(reply)
        if caption is None:
            for outgoing in render(reply, copy_label):
                await bot.send_message(chat_id, outgoing.html, reply_markup=outgoing.keyboard)
        if reply.attachment:
            await bot.send_document(
                chat_id,
                document=await _file_content(reply.attachment),
                filename=reply.attachment.filename,
                caption=caption,
            )


async def _file_content(attachment: Attachment) -> bytes:
    """The file's bytes; a letter is printed in a worker thread, so other chats go on meanwhile."""
    if isinstance(attachment.content, str):
        return attachment.content.encode("utf-8")
    return await asyncio.to_thread(letter_pdf, attachment.content)


def _caption(reply: Reply) -> str | None:
    """A file with only a short text: that text is the file's caption, in a single message."""
    plain = not (reply.title or reply.copy or reply.buttons or reply.sources)
    if reply.attachment and plain and utf16_length(reply.text) <= CAPTION_LIMIT:
        return escape(reply.text)
    return None


async def show_in_place(message: Message, replies: tuple[Reply, ...], copy_label: str) -> None:
    """Edit `message` into the single reply when it can be; otherwise send the replies anew."""
    outgoing = _single_message(replies, copy_label)
    if outgoing is None:
        await send_replies(message.get_bot(), message.chat_id, replies, copy_label)
        return
    try:
        await message.edit_text(outgoing.html, reply_markup=outgoing.keyboard)
    except BadRequest as error:
        reason = str(error).lower()
        if NOT_MODIFIED in reason:  # a second tap on the same button: already showing
            return
        if not any(phrase in reason for phrase in CANNOT_EDIT):
            raise
        await send_replies(message.get_bot(), message.chat_id, replies, copy_label)


def _single_message(replies: tuple[Reply, ...], copy_label: str) -> Outgoing | None:
    if len(replies) != 1 or replies[0].copy or replies[0].attachment:
        return None
    messages = render(replies[0], copy_label)
    return messages[0] if len(messages) == 1 else None
