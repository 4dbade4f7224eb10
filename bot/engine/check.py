"""Content validation (`gdpr-bot check`, and every start-up): one line per problem, with the fix."""

from __future__ import annotations

from bot.engine.buttons import ButtonId
from bot.engine.content import Content
from bot.engine.screens import Screens
from bot.engine.topics import SHORT_ANSWER_LIMIT
from bot.engine.turn import Turn
from bot.errors import ContentError
from bot.i18n import LANGUAGES, french_problems
from bot.paths import ContentPaths

CALLBACK_DATA_LIMIT = 64


def load_checked(paths: ContentPaths) -> Content:
    """Load all content and refuse it, naming every problem, where `gdpr-bot check` would."""
    content = Content.load(paths)
    problems = content_problems(content)
    if problems:
        raise ContentError("the content has problems:\n" + "\n".join(problems))
    return content


def content_problems(content: Content) -> list[str]:
    flow = content.flow
    return [
        *(f"{flow.path.name}: {p}" for p in flow.problems(model=Turn, renderers=Screens)),
        *(f"{flow.path.name}: {p}" for p in _reference_problems(content)),
        *(f"topics.yaml: {p}" for p in content.knowledge.problems()),
        *(f"alerts.yaml: {p}" for p in content.news.problems(content.knowledge.topics)),
        *(f"topics.yaml: {p}" for p in _unreachable_topics(content)),
        *(f"locales: {p}" for p in _catalog_problems(content)),
        *(f"locales: {p}" for p in _typography_problems(content)),
        *(f"topics.yaml: {p}" for p in _answer_length_problems(content)),
    ]


def _reference_problems(content: Content) -> list[str]:
    """Buttons of flow.yaml that name a section or topic of topics.yaml, and callback data sizes."""
    flow, knowledge, problems = content.flow, content.knowledge, []
    for screen in flow.screens.values():
        for button in [b for row in screen.rows for b in row] + list(screen.footer):
            if button.code == ButtonId.SECTION and button.value not in knowledge.sections:
                problems.append(
                    f"screens.{screen.state}: no section {button.value!r} in topics.yaml"
                )
            if button.code == ButtonId.TOPIC and button.value not in knowledge.topics:
                problems.append(f"screens.{screen.state}: no topic {button.value!r} in topics.yaml")
    problems += [
        f"topics.yaml: topic {topic.id!r}: opens_with {topic.opens_with!r} is not a message of"
        " flow.yaml"
        for topic in knowledge.topics.values()
        if topic.opens_with and topic.opens_with not in flow.messages
    ]
    for where, owner in [
        *((f"section {k!r}", v) for k, v in knowledge.sections.items()),
        *((f"topic {k!r}", v) for k, v in knowledge.topics.items()),
    ]:
        for button in map(ButtonId.parse, owner.actions):
            problems += [f"topics.yaml: {where}: {p}" for p in flow.button_problems(button)]
    for button in _every_button(content):
        if len(button.callback_data(flow.version).encode()) > CALLBACK_DATA_LIMIT:
            problems.append(
                f"button {str(button)!r}: callback data over {CALLBACK_DATA_LIMIT} bytes"
            )
    return problems


def _every_button(content) -> list[ButtonId]:
    flow = content.flow
    buttons = [b for screen in flow.screens.values() for row in screen.rows for b in row]
    buttons += [ButtonId.topic(topic) for topic in content.knowledge.topics]
    buttons += [ButtonId.more(topic) for topic in content.knowledge.topics]
    buttons += [ButtonId.ground(ground.id) for ground in content.letters.grounds]
    buttons += [ButtonId.answer(country.code) for country in content.letters.countries]
    return buttons


def _unreachable_topics(content) -> list[str]:
    shown = {t for section in content.knowledge.sections.values() for t in section.topics}
    shown |= {
        b.value
        for s in content.flow.screens.values()
        for row in s.rows
        for b in row
        if b.code == ButtonId.TOPIC
    }
    return [
        f"topic {t!r} is in no section and no menu"
        for t in content.knowledge.topics
        if t not in shown
    ]


def _catalog_problems(content) -> list[str]:
    msgids = [
        *content.flow.msgids(),
        *content.knowledge.msgids(),
        *content.letters.msgids(),
        *content.complaints.msgids(),
        *content.news.msgids(),
    ]
    return content.catalogs.problems(msgids)


def _typography_problems(content) -> list[str]:
    """Every French message of every catalog (Telegram's too) follows French typography."""
    messages = content.catalogs.translator("fr").messages
    return [
        f"fr: {msgid[:50]!r}: {problem}"
        for msgid, text in messages.items()
        for problem in french_problems(text)
    ]


def _answer_length_problems(content) -> list[str]:
    """The part of an answer shown before "More" fits a phone screen, in every language."""
    problems = []
    for lang in LANGUAGES:
        _ = content.catalogs.translator(lang)
        for topic in content.knowledge.topics.values():
            texts = [
                topic.answer,
                *([content.flow.messages[topic.opens_with]] if topic.opens_with else []),
            ]
            translated = all(text in _.messages for text in texts)
            length = len("\n\n".join(_(text).strip() for text in texts)) if translated else 0
            if length > SHORT_ANSWER_LIMIT:
                problems.append(
                    f"topic {topic.id!r} ({lang}): the answer has {length} characters, over "
                    f"{SHORT_ANSWER_LIMIT}; move the rest to `details`"
                )
    return problems
