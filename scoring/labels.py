"""How values are shown to people: plain numbers, stage names, statuses, version reasons, lists.

Why one module: the same value reaches a page, a board, an export and a PDF, and each once
formatted it its own way (a weight as ``3E+1``, a stage as ``theory``, a version as "first
publication" on a Chinese page). Pages reach these through Jinja filters (``scoring/web/__init__``),
services and exports call them with the reader's locale. Only ``scoring.i18n`` is imported, so
any layer may use them.

Stage names in English: the document declares one name per stage (Chinese, as organizers write
it) and no English name. English mode shows a fixed translation for the stage kinds every
competition of this kind has (理论 theory, 实操 practical, and their usual synonyms), found by the
stored name or the code; any other stage keeps its stored name (it is the competition's own data,
like a group or a person's name). The raw code is never shown when a name or a known kind exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from scoring.i18n import N_, normalise_locale, translate

THEORY, PRACTICAL = N_("Theory"), N_("Practical")
KNOWN_STAGES = {
    "理论": THEORY,
    "理论知识": THEORY,
    "理论考试": THEORY,
    "笔试": N_("Written test"),
    "实操": PRACTICAL,
    "实际操作": PRACTICAL,
    "技能操作": PRACTICAL,
    "操作技能": PRACTICAL,
    "theory": THEORY,
    "practical": PRACTICAL,
}
STATUS_LABELS = {
    "ranked": N_("Ranked"),
    "incomplete": N_("Incomplete"),
    "withdrawn": N_("Withdrew"),
    "absent": N_("Absent"),
}
# Recusal reasons the console suggests, stored in Chinese as the domain says them (documents too).
RECUSAL_REASONS = {"同一单位": N_("Same unit"), "同一县区": N_("Same county or district")}
# The kinds of flag the checks raise (scoring.rules.types.Flag.kind), as a badge says them.
FLAG_KINDS = {
    "spread": N_("Spread"),
    "outlier": N_("Outlier"),
    "fig_gap": N_("Panel gap"),
    "missing": N_("Missing"),
    "recused_mark": N_("Recused judge's mark"),
}
# Gender as the sheets and documents store it (男/女, see services.roster).
GENDERS = {"男": N_("Male"), "女": N_("Female")}
FIELD_LABELS = {"rank": N_("Rank"), "total": N_("Total"), "awards": N_("Awards")}
_APPEAL_UPHELD = re.compile(r"^appeal #?(\d+) upheld$")
_REVOKED_BY = re.compile(r"^result version (\d+)(?:: (.*))?$")
REASONS = {
    "first publication": N_("first publication"),
    "republished": N_("republished"),
    "stage publication": N_("stage publication"),
}


def plain(value: object) -> str:
    """A number in plain notation with its trailing zeros trimmed (30, 7.5, 0.25), never ``3E+1``.

    For declared quantities (weights, factors, steps) where "30.00" says nothing more than "30".
    Scores keep their declared places: they are formatted by the rules before they get here."""
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def stage_label(name: str | None, code: str | None = None, locale: str | None = None) -> str:
    """A stage as the reader's language names it (see the module's note)."""
    known = KNOWN_STAGES.get((name or "").strip()) or KNOWN_STAGES.get((code or "").strip().lower())
    if normalise_locale(locale) == "en":
        return translate(known, "en") if known else (name or code or "")
    return name or (translate(known, locale) if known else (code or ""))


def stage_labels(name: str | None, code: str | None = None) -> dict[str, str]:
    """The stage's label in every language, for payloads shared by readers of both (boards)."""
    from scoring.i18n import LOCALES

    return {loc: stage_label(name, code, loc) for loc in LOCALES}


def status_label(status: str, locale: str | None = None) -> str:
    known = STATUS_LABELS.get(status)
    return translate(known, locale) if known else status


def flag_kind(kind: str, locale: str | None = None) -> str:
    known = FLAG_KINDS.get(kind)
    return translate(known, locale) if known else kind


def gender_label(gender: str | None, locale: str | None = None) -> str:
    known = GENDERS.get((gender or "").strip())
    return translate(known, locale) if known else (gender or "")


def recusal_reason(reason: str | None, locale: str | None = None) -> str:
    known = RECUSAL_REASONS.get((reason or "").strip())
    return translate(known, locale) if known else (reason or "")


def version_reason(reason: str | None, locale: str | None = None) -> str:
    """Why a result version was published, in the reader's language (stored as English ids)."""
    text = (reason or "").strip()
    if text in REASONS:
        return translate(REASONS[text], locale)
    found = _APPEAL_UPHELD.match(text)
    if found:
        return translate(N_("appeal %(number)s upheld"), locale, number=found.group(1))
    revoked = _REVOKED_BY.match(text)  # a certificate's revocation: "result version 2: appeal 1 upheld"
    if revoked:
        version = translate(N_("result version %(number)s"), locale, number=revoked.group(1))
        colon = ": " if normalise_locale(locale) == "en" else "："
        return f"{version}{colon}{version_reason(revoked.group(2), locale)}" if revoked.group(2) else version
    return text


def list_separator(locale: str | None = None) -> str:
    return ", " if normalise_locale(locale) == "en" else "、"


def joined(items: Iterable[object], locale: str | None = None) -> str:
    return list_separator(locale).join(str(i) for i in items if i not in (None, ""))


def zone_label(zone: str, locale: str | None = None) -> str:
    """A time zone as its UTC offset ("UTC+8"), never its identifier ("Asia/Shanghai" is English
    on a Chinese page and means nothing to most readers); China's zone is 北京时间 in Chinese."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    try:
        offset = datetime.now(ZoneInfo(zone)).utcoffset()
    except (KeyError, ValueError, OSError):  # an unknown zone name: show it as configured
        return zone
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    text = f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")
    if text == "UTC+8" and normalise_locale(locale) != "en":
        return f"{translate(N_('Beijing time'), locale)} ({text})"
    return text
