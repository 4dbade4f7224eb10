"""A typed view of what the dialogue keeps for one user (`Session.slots`, stored as JSON).

Attributes:
    section: the menu section a topic was opened from, so that Back returns to it.
    topic: the topic on screen.
    expanded: the topic's details are shown too (its "More" button was pressed).
    nearby: topics the matcher found almost as close as `topic` to the question typed; offered
        first among its related topics, until another topic is chosen.
    topic_from: the step the first topic was opened from, so that Back returns to the follow-up.
    accounts: the accounts to protect: "facebook", "instagram" or "both".
    linked: whether those accounts share an Accounts Center: "yes", "no" or "unsure".
    grounds: the chosen grounds (ids of letter.yaml), in the order chosen.
    detail: the user's own sentence about their situation.
    detail_lang: the chat's language when the sentence was typed (the letter's may differ).
    name: the name that signs the letter.
    login: the account's email address or username, for the letter's account line.
    country: where the user lives (ISO 3166 code), for the authority.
    letter_lang: the letter's language, when it differs from the chat's.
    reviewed: the review step was reached, so an answer returns straight to it.
    draft_at: the last step of the draft or the follow-up, to resume there.
    sent_on: the day the objection was sent (ISO date; typed text until checked; "" when the
        user only knows it was long ago).
    sent_approx: sent_on is the user's estimate ("this week", "about a month ago").
    remind: the answer to the reminder offer, until it is scheduled.
    remind_on: the day of the reminder (ISO date).
    outcome: what Meta did with the objection (an outcome id of complaint.yaml).
    objected_via: how the user objected: "form" (Meta's), "letter" (this bot's) or "other".
    stated: whether that objection gave grounds: "none", "own" (their words) or "ours" (the bot's).
    sent_when: the date button pressed for the complaint, until turned into sent_on.
    identity: "answered" once the user says they answered Meta's identity request.
    complaint_lang: the complaint's language, when the user changed it.
    complaint_from: the step the complaint was started from, so that Back returns to it.
    pending: text typed at a free-text step that looked like a question the bot cannot answer,
        kept for one event until the user says to use it as written.
    delivery: the last Telegram update applied and when, so that a redelivered one is not applied twice.
    alerts: the day the user asked for news alerts (ISO date). A store keeps it, with the
        language, when it purges an idle session: the session is cut down to it, not deleted.
"""

from __future__ import annotations

from typing import Any, ClassVar


class _Slot:
    """One key of the slots: reads give `default` when it is unset, `del` unsets it."""

    def __init__(self, default: Any = None):
        self.default = default

    def __set_name__(self, owner, name: str) -> None:
        self.key = name

    def __get__(self, slots: Slots | None, owner=None):
        if slots is None:
            return self
        return slots.data.get(self.key, self.default)

    def __set__(self, slots: Slots, value) -> None:
        slots.data[self.key] = value

    def __delete__(self, slots: Slots) -> None:
        slots.data.pop(self.key, None)


class Slots:
    section = _Slot()
    topic = _Slot()
    expanded = _Slot(default=False)
    nearby = _Slot(default=())
    topic_from = _Slot()
    accounts = _Slot()
    linked = _Slot()
    grounds = _Slot(default=())
    detail = _Slot(default="")
    detail_lang = _Slot()
    name = _Slot(default="")
    login = _Slot(default="")
    country = _Slot(default="")
    letter_lang = _Slot()
    reviewed = _Slot(default=False)
    draft_at = _Slot()
    sent_on = _Slot()
    sent_approx = _Slot(default=False)
    remind = _Slot()
    remind_on = _Slot()
    outcome = _Slot()
    objected_via = _Slot()
    stated = _Slot()
    sent_when = _Slot()
    identity = _Slot()
    complaint_lang = _Slot()
    complaint_from = _Slot()
    pending = _Slot()
    delivery = _Slot()
    alerts = _Slot()

    # The draft's answers, and what the follow-up adds to them: a new draft starts without them.
    DRAFT = (
        "accounts",
        "linked",
        "grounds",
        "detail",
        "detail_lang",
        "name",
        "login",
        "country",
        "letter_lang",
    )
    FOLLOW_UP = ("sent_on", "sent_approx", "remind", "remind_on", "outcome", "reviewed", "draft_at")
    # The complaint's own answers (the objection's date and the country are shared with the draft).
    COMPLAINT = ("objected_via", "stated", "sent_when", "outcome", "identity", "complaint_lang")

    # Names that sessions saved by earlier versions may still use.
    FORMER_NAMES: ClassVar[dict[str, str]] = {
        "platforms": "accounts",
        "reasons": "grounds",
        "account": "login",
    }

    def __init__(self, data: dict):
        self.data = data

    @classmethod
    def upgraded(cls, data: dict) -> dict:
        """Stored slots under today's names (a session saved before a rename keeps its answers)."""
        return {cls.FORMER_NAMES.get(key, key): value for key, value in data.items()}

    @classmethod
    def names(cls) -> frozenset[str]:
        """Every slot name, e.g. to check the `sets:` of flow.yaml."""
        return frozenset(name for name, value in vars(cls).items() if isinstance(value, _Slot))

    def has(self, name: str) -> bool:
        return name in self.data

    def answer(self, name: str, value: str) -> None:
        """Set the slot a step of flow.yaml names (`sets:`)."""
        self._check(name)
        self.data[name] = value

    def take(self, name: str):
        """The slot's value (None when unset), unsetting it."""
        self._check(name)
        return self.data.pop(name, None)

    def unset(self, *names: str) -> None:
        for name in names:
            self._check(name)
            self.data.pop(name, None)

    def clear(self) -> None:
        self.data.clear()

    def _check(self, name: str) -> None:
        if name not in self.names():
            raise KeyError(f"no slot {name!r}; see bot/engine/slots.py")
