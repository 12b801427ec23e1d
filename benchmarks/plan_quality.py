"""Quality of prep plans on labelled job postings, against the built-in bank.

    python -m benchmarks.plan_quality                        # every part, backend "auto" (e5)
    python -m benchmarks.plan_quality --part tuning --show   # each posting's plan: what to look at while tuning
    python -m benchmarks.plan_quality --backend lexical      # the fallback when no sentence model loads

The postings are in benchmarks/data/postings/, labelled in labels.yaml (how they were written and
labelled is said there): half for roles the built-in bank covers, with the questions a coach would put
in the plan, half for roles it does not cover, which should be refused. The tuning part is the one to
look at while changing the matching; the held-out part is run only to report. "reported" holds the
outside testers' postings (tester2's three, testerB's four).

Each part is run twice: as written, and with each posting's first line (its title) removed, which is
how well the role is chosen from the posting's lines alone (most covered postings' titles name the role).

Figures, per part:
  refused (not covered)   postings of roles the bank does not cover that got no plan: should be all
  false refusals          covered postings that got no plan: should be none
  wrong role              covered postings whose plan is for another role
  precision               plan questions that are expected or acceptable for the posting
  recall                  expected questions that are in the plan (a refused posting finds none)
  questions per plan      mean plan size, covered postings that got one
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import yaml
from sqlalchemy import select

POSTINGS = Path(__file__).resolve().parent / "data" / "postings"
PARTS = ("tuning", "held-out", "reported")


@dataclass
class Posting:
    file: str
    part: str
    role: str | None
    expected: set[str] = field(default_factory=set)
    acceptable: set[str] = field(default_factory=set)
    untitled: bool = False  # the first line (the title; a one-paragraph posting's first sentence) removed

    @property
    def text(self) -> str:
        text = (POSTINGS / self.file).read_text(encoding="utf-8")
        if not self.untitled:
            return text
        first, _, rest = text.strip().partition("\n")
        return rest or first.partition(". ")[2]  # a posting of one paragraph: its first sentence is the title


@dataclass
class Outcome:
    posting: Posting
    role: str | None  # the plan's role slug; None: refused
    questions: list[str]  # the plan's question slugs, in its order
    message: str = ""

    @property
    def right(self) -> list[str]:
        return [q for q in self.questions if q in self.posting.expected | self.posting.acceptable]

    @property
    def found(self) -> set[str]:
        return self.posting.expected & set(self.questions)


def load_postings() -> list[Posting]:
    labels = yaml.safe_load((POSTINGS / "labels.yaml").read_text(encoding="utf-8"))
    return [Posting(p["file"], p["part"], p.get("role"), set(p.get("expected") or ()), set(p.get("acceptable") or ()))
            for p in labels["postings"]]


def _database(folder: Path):
    from rehearse.accounts.models import User
    from rehearse.bootstrap import open_database
    from rehearse.settings import Settings

    database = open_database(Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'plans.db'}",
                                      secret_key="q" * 48))
    with database.transaction(writes=True) as session:
        user = User(email="plans@example.com", display_name="plans", password_hash="-", role="candidate",
                    created_at=datetime.now(UTC))
        session.add(user)
        session.flush()
        return database, user.id


def run(postings: list[Posting], *, backend: str) -> list[Outcome]:
    """Each posting's plan (or refusal), from a fresh database holding the built-in bank only."""
    from rehearse.accounts.models import User
    from rehearse.bank.models import Question, Role
    from rehearse.plans import service as plans

    with tempfile.TemporaryDirectory() as folder:
        database, user_id = _database(Path(folder))
        plans.warm(database, backend=backend)  # as the app does at start: vectors stored, not timed here
        outcomes = []
        with database.transaction() as session:
            slug = dict(session.execute(select(Question.id, Question.slug)).all())
            role_slug = dict(session.execute(select(Role.id, Role.slug)).all())
            user = session.get(User, user_id)
            for posting in postings:
                try:
                    planned = plans.compute(session, user=user, posting=posting.text, backend=backend)
                except plans.PlanRejected as refused:
                    outcomes.append(Outcome(posting, None, [], str(refused)))
                    continue
                outcomes.append(Outcome(posting, role_slug[planned["role_id"]],
                                        [slug[item["question_id"]] for item in planned["items"]]))
        database.dispose()
    return outcomes


def figures(outcomes: list[Outcome]) -> dict[str, float | int]:
    covered = [o for o in outcomes if o.posting.role is not None]
    other = [o for o in outcomes if o.posting.role is None]
    planned = [o for o in covered if o.role is not None]
    kept = sum(len(o.questions) for o in planned)
    expected = sum(len(o.posting.expected) for o in covered)
    return {
        "covered": len(covered), "other": len(other),
        "refused": sum(o.role is None for o in other),
        "false_refusals": sum(o.role is None for o in covered),
        "wrong_role": sum(o.role is not None and o.role != o.posting.role for o in covered),
        "precision": sum(len(o.right) for o in planned) / kept if kept else float("nan"),
        "recall": sum(len(o.found) for o in covered) / expected if expected else float("nan"),
        "size": kept / len(planned) if planned else float("nan"),
    }


def _pct(x: float) -> str:
    return "—" if x != x else f"{100 * x:.0f}%"


def print_table(by_part: dict[str, list[Outcome]]) -> None:
    print("| part | refused (not covered) | false refusals | wrong role | precision | recall | questions per plan |")
    print("|---|---|---|---|---|---|---|")
    for part, outcomes in by_part.items():
        f = figures(outcomes)
        size = "—" if f["size"] != f["size"] else f"{f['size']:.1f}"
        print(f"| {part} | {f['refused']}/{f['other']} | {f['false_refusals']}/{f['covered']} | "
              f"{f['wrong_role']}/{f['covered']} | {_pct(f['precision'])} | {_pct(f['recall'])} | {size} |")


def show(outcomes: list[Outcome]) -> None:
    """Each posting's plan: + expected, ~ acceptable, ! neither; then the expected questions missed."""
    for o in outcomes:
        p = o.posting
        if o.role is None:
            verdict = "refused" + ("" if p.role is None else f"  (FALSE REFUSAL; expected {p.role})")
            print(f"\n{p.file}: {verdict}")
            continue
        verdict = f"plan for {o.role}, {len(o.questions)} questions"
        if p.role is None:
            verdict += "  (SHOULD BE REFUSED)"
        elif o.role != p.role:
            verdict += f"  (WRONG ROLE; expected {p.role})"
        print(f"\n{p.file}: {verdict}")
        for q in o.questions:
            print(f"   {'+' if q in p.expected else '~' if q in p.acceptable else '!'} {q}")
        missed = sorted(p.expected - set(o.questions))
        if missed:
            print(f"   missed: {', '.join(missed)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=PARTS, action="append", help="only these parts (default: every part)")
    parser.add_argument("--backend", default="auto", help="feedback backend for the sentence vectors (default auto)")
    parser.add_argument("--show", action="store_true", help="print each posting's plan")
    args = parser.parse_args()
    parts = args.part or list(PARTS)
    postings = [p for p in load_postings() if p.part in parts]
    postings += [replace(p, untitled=True) for p in postings]
    from rehearse import feedback

    backend = feedback.load_backend(args.backend).info()["backend"]
    started = time.perf_counter()
    outcomes = run(postings, backend=args.backend)
    print(f"\n## Prep plan quality: {len(postings) // 2} labelled postings, built-in bank, backend {backend}\n")
    print_table({f"{part}{', no title' if untitled else ''}": [o for o in outcomes if o.posting.part == part
                                                               and o.posting.untitled == untitled]
                 for untitled in (False, True) for part in parts})
    print("\n(refused: postings for roles no built-in role covers; precision counts expected and acceptable "
          "questions as right; recall is of the expected ones)")
    if args.show:
        show([o for o in outcomes if not o.posting.untitled])
    print(f"\n(total {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
