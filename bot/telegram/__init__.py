"""The Telegram adapter: updates in, Events to the dialogue, Replies rendered as HTML and keyboards.

settings.py reads the token and options, logs.py keeps secrets and user text out of the logs,
app.py wires the PTB Application, services.py holds what handlers share (the store opens in
post_init), ordering.py handles users at once and each user's updates in order, handlers.py turns
updates into Events, render.py and delivery.py show the Replies, profile.py holds the command menu
and descriptions from dialogues/telegram.yaml, web.py serves the webhook, /healthz and /metrics,
and observe.py keeps the metrics and notes every Bot API answer. The dialogue engine imports
nothing from here.
"""

from bot.telegram.announce import Counts, announce
from bot.telegram.app import build_application, run_application
from bot.telegram.logs import configure_logging, where
from bot.telegram.profile import Profile
from bot.telegram.services import BotServices
from bot.telegram.settings import Settings

__all__ = [
    "BotServices",
    "Counts",
    "Profile",
    "Settings",
    "announce",
    "build_application",
    "configure_logging",
    "run_application",
    "where",
]
