"""Translation: the catalogs read at run time, their sync with the YAML content, the Babel extractor.

Each name below is imported from its module on first use (PEP 562): the bot and `gdpr-bot ask`
need the catalogs only, and the sync's and extractor's imports (Babel's .po tools, 60-80 ms) are
left to `gdpr-bot catalogs`.
"""

from bot.lazy_names import names_getter

_MODULE_OF = {
    "DEFAULT_LANGUAGE": "translations",
    "LANGUAGES": "translations",
    "Catalogs": "translations",
    "Translator": "translations",
    "collation_key": "translations",
    "extract_yaml": "extract",
    "french_problems": "typography",
    "negotiate": "translations",
    "other_language": "translations",
    "placeholders": "translations",
    "sync_catalogs": "sync",
}
__all__ = sorted(_MODULE_OF)

__getattr__ = names_getter(__name__, _MODULE_OF)
