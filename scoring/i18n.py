"""Translations usable with or without a Flask request.

Why: the engine, the document validator and the CLI produce messages outside any request,
and they must come out in Chinese (default) or English from the same catalogs the pages use.
Code marks a message with ``N_`` (extracted by pybabel) and keeps ``(msgid, params)``; the
text is produced late, in the reader's language, by ``translate``.

Why the catalogs are compiled in memory: the .po files are the only source, and the package may
be installed read-only (a system package, a container image). Each process reads a locale's .po
once and compiles it into a ``Translations`` object in memory (about 50 ms); nothing is written
anywhere, and pages (``scoring.extensions.CatalogDomain``), the engine and the CLI share it.
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
DEFAULT_LOCALE = "zh_Hans_CN"
LOCALES = ("zh_Hans_CN", "en")


def N_(msgid: str) -> str:
    """Mark a message for extraction without translating it now."""
    return msgid


def normalise_locale(locale: str | None) -> str:
    if not locale:
        return DEFAULT_LOCALE
    low = locale.replace("-", "_").lower()
    if low.startswith("en"):
        return "en"
    return DEFAULT_LOCALE


def catalog(locale: str | None) -> NullTranslations:
    """The messages of ``locale`` (any spelling; normalised to one of ``LOCALES``)."""
    return _compiled(normalise_locale(locale))


@lru_cache(maxsize=len(LOCALES))
def _compiled(locale: str) -> NullTranslations:
    """Read ``locale``'s .po and compile it in memory. English is the language of the msgids:
    without a catalog it is the identity."""
    po = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not po.is_file():
        return NullTranslations()
    with po.open("rb") as src:
        messages = read_po(src, locale=locale)
    compiled = BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return Translations(compiled)


def translate(msgid: str, locale: str | None = None, **params: object) -> str:
    """Translate ``msgid`` into ``locale`` and fill ``%(name)s`` placeholders."""
    text = catalog(locale).gettext(msgid)
    if params:
        try:
            return text % {k: str(v) for k, v in params.items()}
        except (KeyError, ValueError, TypeError):
            return text
    return text
