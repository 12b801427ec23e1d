"""The one role a command-line reference names (an id, a slug, or BANK/ROLE when banks share a slug), and
the check that a question list's role and bank filters name what is here (the API and the CLI share it)."""

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


class FilterRefused(RoleNotChosen):
    """A question list's role or bank filter that names nothing here (`several` False), or a role slug that
    several banks share without its bank (`several` True)."""

    def __init__(self, message: str, *, several: bool = False):
        super().__init__(message)
        self.several = several


def check_question_filters(session: Session, *, role: str | None, bank: str | None) -> None:
    """FilterRefused unless the filters name what is here: the bank, and one role (a slug two banks share needs
    its bank). An empty list then means "no questions", never "no such role"."""
    from sqlalchemy import select

    from rehearse.bank.models import Bank
    from rehearse.bank.service import find_roles

    if bank and session.scalar(select(Bank.id).where(Bank.slug == bank).limit(1)) is None:
        raise FilterRefused(f"there is no bank {bank!r}")
    if not role:
        return
    roles = find_roles(session, role, bank=bank)
    if not roles:
        raise FilterRefused(f"there is no role {role!r}{f' in the bank {bank!r}' if bank else ''}")
    if len(roles) > 1:
        raise FilterRefused(f"the role {role!r} is in {len(roles)} banks ({', '.join(r.bank.slug for r in roles)}): "
                            "name its bank too, or give the role's id", several=True)
