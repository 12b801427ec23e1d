"""A refused form's problems, each with the fields it is about, for the error summary of templates/_form_errors.html.

Every form shows its errors as sign-up does: all of them at once, in one summary beside the form, each bad
field marked invalid and described by its own message, and the focus on the first bad field."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    message: str
    fields: tuple[str, ...] = ()  # none: the problem is the whole form's (a limit reached, a conflict)


class FormErrors:
    """The problems of one refused form, in the order its fields come."""

    def __init__(self, problems: Iterable[Problem] = ()):
        self.problems = list(problems)

    @classmethod
    def of(cls, message: str, *fields: str) -> FormErrors:
        return cls([Problem(message, fields)])

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def numbers_about(self, field: str) -> list[int]:
        """The 1-based numbers of the messages about the field: their ids are "<summary id>-<number>"."""
        return [number for number, problem in enumerate(self.problems, start=1) if field in problem.fields]

    def described_by(self, field: str, summary_id: str, hint: str = "") -> str:
        """The ids that describe a bad field: its own messages, then its hint."""
        ids = [f"{summary_id}-{number}" for number in self.numbers_about(field)]
        return " ".join([*ids, hint] if hint else ids)

    @property
    def first_field(self) -> str | None:
        """The field that takes the focus; None when no field is to blame (the summary takes it)."""
        return next((problem.fields[0] for problem in self.problems if problem.fields), None)


def each_field(refusal: type[Exception], checks: Iterable[tuple[str, Callable[[], object]]]) -> FormErrors:
    """Run every field's check and keep each refusal with its field, so a form reports all its problems at once."""
    problems = []
    for field, check in checks:
        try:
            check()
        except refusal as error:
            problems.append(Problem(str(error), (field,)))
    return FormErrors(problems)


def with_refusal(errors: FormErrors, refusal: Exception, *fields: str) -> FormErrors:
    """The field problems found, with the service's own refusal too unless one of them says it already (same
    message, or same field): it is the reason the form was refused, so it is never dropped."""
    told = any(problem.message == str(refusal) or set(fields) & set(problem.fields) for problem in errors)
    return errors if told else FormErrors([Problem(str(refusal), fields), *errors])


def in_form_order(errors: FormErrors, order: list[str]) -> FormErrors:
    """The problems as the form lists its fields (the whole form's first), so the focus goes to the first."""
    place = {field: number for number, field in enumerate(order)}
    return FormErrors(sorted(errors, key=lambda p: min((place.get(f, len(order)) for f in p.fields), default=-1)))
