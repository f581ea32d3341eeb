"""Certificates for delegations: a team standing's award (团体一等奖) certified for the county or
unit that earned it (issue 12, item 2).

Why beside the individual ones and from the same registry: the delegation's certificate is
issued, revoked and reissued with the published result version exactly as a person's is, and its
serial, like every serial, is never given twice. It is followed from version to version by
(standing code, delegation name): it has no contestant.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, select

from scoring import models as m


def delegation_awards(content: dict | None) -> dict[tuple[str, str], dict]:
    """(standing code, delegation) -> {"awards": [...], "standing": standing} of a published content."""
    out = {}
    for ts in (content or {}).get("team_standings", []):
        for r in ts.get("rows", []):
            out[(ts["code"], r["delegation"])] = {"awards": list(r.get("awards") or []), "standing": ts}
    return out


def _revoke(cert: m.Certificate, reason: str, replaced_by: str = "") -> None:
    cert.state, cert.revoked_at = "revoked", m.utcnow()
    cert.revoked_reason, cert.replaced_by = reason, replaced_by


def reissue_delegations(
    s: Session, cid: int, old: dict | None, new: dict, comp_name: str, next_serial: Callable[[], str]
) -> tuple[list[str], list[str]]:
    """Inside the publication transaction: a certificate per award of each delegation of each team
    standing; a later version revokes and reissues those whose awards changed. Returns the serials
    (issued, revoked)."""
    before, after = delegation_awards(old), delegation_awards(new)
    valid: dict[tuple[str, str], list[m.Certificate]] = {}
    for cert in s.exec(
        select(m.Certificate).where(
            m.Certificate.competition_id == cid, m.Certificate.state == "valid", m.Certificate.standing != ""
        )
    ):
        valid.setdefault((cert.standing, cert.name), []).append(cert)
    reason = f"result version {new['number']}: {new.get('reason', '')}"
    issued: list[str] = []
    revoked: list[str] = []
    for key, info in after.items():
        held = valid.get(key, [])
        old_info = before.get(key)
        same = old is not None and old_info is not None and old_info["awards"] == info["awards"]
        if same and sorted(c.award for c in held) == sorted(info["awards"]):
            continue
        new_serials: dict[str, str] = {}
        for award in info["awards"]:
            serial = next_serial()
            s.add(
                m.Certificate(
                    competition_id=cid,
                    serial=serial,
                    contestant="",
                    name=key[1],
                    standing=key[0],
                    group_name=info["standing"]["name"],
                    award=award,
                    result_version=new["number"],
                    competition_name=comp_name,
                )
            )
            s.flush()
            new_serials[award] = serial
            issued.append(serial)
        for cert in held:
            _revoke(cert, reason, new_serials.get(cert.award) or next(iter(new_serials.values()), ""))
            s.add(cert)
            revoked.append(cert.serial)
    for key, certs in valid.items():  # a delegation or a standing no longer in the results
        if key not in after:
            for cert in certs:
                _revoke(cert, f"result version {new['number']}")
                s.add(cert)
                revoked.append(cert.serial)
    return issued, revoked
