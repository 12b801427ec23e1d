"""The one role a command-line reference names: an id, a slug, or BANK/ROLE when banks share a slug."""

from __future__ import annotations

from sqlalchemy.orm import Session

from rehearse.bank.models import Role


class RoleNotChosen(Exception):
    """No role, or several, match a reference; the message says which and how to name one."""


def pick_role(session: Session, reference: str) -> Role:
    """The role `reference` names: its id, its slug, or "BANK/ROLE" (a bank's slug and the role's)."""
    from rehearse.bank.service import find_roles

    bank, _, slug = reference.rpartition("/")
    roles = find_roles(session, slug, bank=bank) if bank else find_roles(session, reference)
    if not roles:
        raise RoleNotChosen(f"there is no role {reference!r} (rehearse roles lists them)")
    if len(roles) > 1:
        listed = "; ".join(f"{role.id} ({role.bank.slug}/{role.slug}, in {role.bank.name})" for role in roles)
        raise RoleNotChosen(f"the role {reference!r} is in {len(roles)} banks: name one by its id or as "
                            f"BANK/ROLE: {listed}")
    return roles[0]
