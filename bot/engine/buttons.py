"""Button ids, parsed and built in one place.

A button id is "<code>" or "<code>:<value>"; flow.yaml's `buttons` maps each code to the trigger it
fires. On Telegram it travels as callback data "<flow version>|<id>", so that buttons left over from an
older flow are recognised as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, order=True)
class ButtonId:
    code: str
    value: str = ""

    # The codes the engine builds or reads itself; the others only flow.yaml knows.
    SECTION: ClassVar[str] = "s"  # value: a section of topics.yaml
    TOPIC: ClassVar[str] = "t"  # value: a topic of topics.yaml
    MORE: ClassVar[str] = "v"  # value: a topic of topics.yaml, shown with its details
    GROUND: ClassVar[str] = "g"  # value: a ground of letter.yaml, toggled
    ANSWER: ClassVar[str] = "a"  # value: the answer it gives to the step's question
    SKIP: ClassVar[str] = "k"  # leaves the step's answer unset
    RESUME: ClassVar[str] = "c"
    MENU: ClassVar[str] = "m"
    CANCEL_REMINDER: ClassVar[str] = "z"
    USE_TYPED: ClassVar[str] = "u"  # keeps question-like text typed at a free-text step
    SUBSCRIBE: ClassVar[str] = "as"  # news alerts
    UNSUBSCRIBE: ClassVar[str] = "au"

    @classmethod
    def parse(cls, text: str) -> ButtonId:
        code, _sep, value = text.partition(":")
        return cls(code, value)

    @classmethod
    def from_callback_data(cls, data: str, version: int) -> ButtonId | None:
        """The button of `data`, or None when it comes from another version of the flow."""
        data_version, _sep, button_id = data.partition("|")
        return cls.parse(button_id) if data_version == str(version) else None

    @classmethod
    def topic(cls, topic_id: str) -> ButtonId:
        return cls(cls.TOPIC, topic_id)

    @classmethod
    def more(cls, topic_id: str) -> ButtonId:
        return cls(cls.MORE, topic_id)

    @classmethod
    def section(cls, section_id: str) -> ButtonId:
        return cls(cls.SECTION, section_id)

    @classmethod
    def ground(cls, ground_id: str) -> ButtonId:
        return cls(cls.GROUND, ground_id)

    @classmethod
    def answer(cls, value: str) -> ButtonId:
        return cls(cls.ANSWER, value)

    def callback_data(self, version: int) -> str:
        return f"{version}|{self}"

    def __str__(self) -> str:
        return f"{self.code}:{self.value}" if self.value else self.code
