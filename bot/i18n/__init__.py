"""Translation: the catalogs read at run time, their sync with the YAML content, the Babel extractor.

Each name below is imported from its module on first use (PEP 562): the bot and `gdpr-bot ask`
need the catalogs only, and the sync's and extractor's imports (Babel's .po tools, 60-80 ms) are
left to `gdpr-bot catalogs`. No name here is its module's name: importing the module would bind
the module to the package under that name, hiding the function.
"""

from importlib import import_module

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


def __getattr__(name: str):
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
