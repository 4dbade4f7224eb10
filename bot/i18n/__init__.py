"""Translation: the catalogs read at run time, their sync with the YAML content, the Babel extractor."""

from bot.i18n.extract import extract_yaml
from bot.i18n.sync import sync
from bot.i18n.translations import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Catalogs,
    Translator,
    collation_key,
    negotiate,
    other_language,
    placeholders,
)
from bot.i18n.typography import french_problems

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Catalogs",
    "Translator",
    "collation_key",
    "extract_yaml",
    "french_problems",
    "negotiate",
    "other_language",
    "placeholders",
    "sync",
]
