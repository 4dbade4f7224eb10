"""The project's exceptions: one root, a few named children, caught at the adapter edge."""


class BotError(Exception):
    """Root of every error this package raises on purpose."""


class ContentError(BotError):
    """The YAML or PO content is inconsistent; the message names the file, the key and the fix."""


class MissingMessage(ContentError):
    """A msgid has no usable translation in a language."""


class UsageError(BotError):
    """A command-line call is wrong; the message says which value and what is allowed."""


class StoreError(BotError):
    """The session store cannot be opened or written."""
