"""Translations usable with or without a Flask request.

Why: the engine, the document validator and the CLI produce messages outside any request,
and they must come out in Chinese (default) or English from the same catalogs the pages use.
Code marks a message with ``N_`` (extracted by pybabel) and keeps ``(msgid, params)``; the
text is produced late, in the reader's language, by ``translate``.
"""
from __future__ import annotations

from functools import lru_cache
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


def compile_catalogs(root: Path = TRANSLATIONS_DIR) -> None:
    """Compile .po to .mo when missing or stale (the .mo files are not committed)."""
    for po in root.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as src:
                catalog = read_po(src)
            with mo.open("wb") as dst:
                write_mo(dst, catalog)


def normalise_locale(locale: str | None) -> str:
    if not locale:
        return DEFAULT_LOCALE
    low = locale.replace("-", "_").lower()
    if low.startswith("en"):
        return "en"
    return DEFAULT_LOCALE


@lru_cache(maxsize=8)
def _catalog(locale: str) -> NullTranslations:
    compile_catalogs()
    return Translations.load(str(TRANSLATIONS_DIR), [locale])


def translate(msgid: str, locale: str | None = None, **params: object) -> str:
    """Translate ``msgid`` into ``locale`` and fill ``%(name)s`` placeholders."""
    text = _catalog(normalise_locale(locale)).gettext(msgid)
    if params:
        try:
            return text % {k: str(v) for k, v in params.items()}
        except (KeyError, ValueError, TypeError):
            return text
    return text
