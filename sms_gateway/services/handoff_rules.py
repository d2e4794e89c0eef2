"""Who may see and do what with a handoff, and what every console action leaves behind: the
roles' permissions (sms_gateway/permissions.yml, data, not code), the checks every request goes
through (a conversation another advocate holds is refused and the refusal audited), masked
contacts, and the audit row (never a message text)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from resources.replies import render
from sms_gateway.models import AuditEvent, Handoff
from sms_gateway.services.auth import SignedIn

ACTIVE = ("queued", "claimed")
ENDED = ("returned", "closed", "left")  # "left": the person sent EXIT or STOP, or quick exit
OUTCOMES = ("resolved", "referred", "no_response", "other")
PERMISSIONS = yaml.safe_load((Path(__file__).resolve().parents[1] / "permissions.yml").read_text())


class HandoffError(Exception):
    """Not allowed or not possible (the route turns it into 403/404/409/410/422)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def can(role: str, permission: str) -> bool:
    return permission in PERMISSIONS["roles"].get(role, [])


def permissions_of(role: str) -> list[str]:
    return list(PERMISSIONS["roles"].get(role, []))


def reach_out_reasons() -> dict[str, str]:
    """Why an advocate may reach out to a person who did not ask (permissions.yml)."""
    return dict(PERMISSIONS.get("reach_out_reasons", {}))


def mask_contact(contact: str | None, channel: str, full: bool) -> str:
    if channel == "web":
        return "Web chat"
    if not contact:
        return "SMS"
    return f"SMS {contact}" if full else "SMS " + "•" * max(0, len(contact) - 2) + contact[-2:]


def visible_in(session: Session, viewer: SignedIn, handoff_id: int) -> Handoff:
    """The handoff, if this advocate may see it: unclaimed, theirs, or their role sees all."""
    row = session.get(Handoff, handoff_id)
    if row is None:
        raise HandoffError(404, "no such conversation")
    mine = row.claimed_by in (None, viewer.advocate_id)
    if not mine and not can(viewer.role, "see_all_active"):
        audit_in(session, viewer, "denied_view", row.id)
        raise HandoffError(403, "another advocate has this conversation")
    return row


def held_in(session: Session, viewer: SignedIn, handoff_id: int) -> Handoff:
    """The handoff, if this advocate holds it and the person is still there."""
    row = visible_in(session, viewer, handoff_id)
    if row.status == "left":
        raise HandoffError(410, person_left_notice())
    if row.status != "claimed" or row.claimed_by != viewer.advocate_id:
        raise HandoffError(409, "claim this conversation first")
    return row


def audit_in(
    session: Session, viewer: SignedIn, action: str, handoff_id: int | None, detail: str = ""
) -> None:
    """What an advocate saw or did, in the caller's transaction (never a message text)."""
    session.add(
        AuditEvent(
            at=datetime.now(UTC),
            advocate_id=viewer.advocate_id,
            action=action,
            handoff_id=handoff_id,
            detail=detail,
        )
    )


def person_left_notice() -> str:
    """What the console says when the person has left (resources/data/replies_handoff.yml)."""
    return render("handoff_person_left", "console")
