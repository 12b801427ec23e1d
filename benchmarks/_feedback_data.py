"""Data loading shared by the feedback benchmarks: bank files, dev sets, external sets.

Reads YAML/CSV/Markdown directly (no database), so the benchmarks depend only on
rehearse.feedback.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from rehearse.feedback import Question

ROOT = Path(__file__).resolve().parents[1]
BANK_DIR = ROOT / "src" / "rehearse" / "data" / "bank"
DEV_DIR = ROOT / "benchmarks" / "data"
SHARED = ROOT.parent / "shared"
MOHLER = SHARED / "external" / "mohler" / "mohler_dataset.csv"
CHITAMOOR = SHARED / "external" / "chitamoor-interview-prep"
LABELS = ("strong", "partial", "weak")


def split_of(slug: str) -> str:
    """Deterministic split: about a third of the dev questions are held out as 'test'."""
    return "test" if int(hashlib.sha1(slug.encode()).hexdigest(), 16) % 3 == 0 else "train"


def load_bank(bank_dir: Path = BANK_DIR) -> dict[str, Question]:
    """slug -> Question for every question of every bank file."""
    out: dict[str, Question] = {}
    for path in sorted(bank_dir.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for role in data.get("roles", []):
            for q in role.get("questions", []):
                out[q["slug"]] = Question(
                    text=q["text"],
                    talking_points=tuple(q.get("talking_points") or ()),
                    example_answer=q.get("example_answer"),
                    intent=q.get("intent"),
                    kind=q.get("kind") if q.get("kind") in ("behavioural", "situational",
                                                            "other") else None,
                    competencies=tuple(q.get("competencies") or ()),
                )
    return out


@dataclass(frozen=True)
class DevAnswer:
    slug: str
    label: str
    covers: tuple[int, ...]
    text: str


def load_dev(bank: dict[str, Question], dev_dir: Path = DEV_DIR) -> dict[str, list[DevAnswer]]:
    """slug -> labelled answers, from every dev_*.yaml (questions missing from the bank skipped)."""
    out: dict[str, list[DevAnswer]] = {}
    for path in sorted(dev_dir.glob("dev_*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            slug = item["question"]
            if slug not in bank:
                continue
            for a in item.get("answers", []):
                out.setdefault(slug, []).append(
                    DevAnswer(slug, a["label"], tuple(a.get("covers") or ()), a["text"]))
    return out


def off_topic_pairs(slugs: list[str], dev: dict[str, list[DevAnswer]]) -> list[tuple[str, str]]:
    """(asked question slug, answer's own slug): each question gets the strong answers of the
    next two questions in slug order (within the same split)."""
    s = sorted(slugs)
    pairs = []
    for i, slug in enumerate(s):
        for step in (1, 2):
            other = s[(i + step) % len(s)]
            if other != slug and any(a.label == "strong" for a in dev[other]):
                pairs.append((slug, other))
    return pairs


def strong_answer(dev: dict[str, list[DevAnswer]], slug: str) -> DevAnswer:
    return next(a for a in dev[slug] if a.label == "strong")


def load_mohler(path: Path = MOHLER) -> list[tuple[Question, str, float]]:
    """(question with the desired answer as its one talking point and example, answer, score)."""
    rows = []
    with path.open(newline="", encoding="utf-8", errors="replace") as f:
        for r in csv.DictReader(f):
            q = Question(text=r["question"], talking_points=(r["desired_answer"],),
                         example_answer=r["desired_answer"], kind="other")
            rows.append((q, r["student_answer"], float(r["score_avg"])))
    return rows


_SECTION = re.compile(r"^##\s+(.+?)\s*$", re.M)


def load_chitamoor(root: Path = CHITAMOOR) -> list[Question]:
    """One Question per q*.md: 'Key Points to Cover' bullets, 'Example Response' answer."""
    out = []
    for path in sorted(root.glob("*/q*.md")):
        md = path.read_text(encoding="utf-8")
        title = re.search(r"^#\s+(.+)$", md, re.M)
        parts = _SECTION.split(md)
        sections = {parts[i].strip().lower(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}
        points = tuple(re.sub(r"^\s*[-*]\s+", "", ln).strip()
                       for ln in sections.get("key points to cover", "").splitlines()
                       if re.match(r"^\s*[-*]\s+", ln))
        example = sections.get("example response", "").strip()
        why = sections.get("why this is asked", "").strip()
        if title and points and example:
            out.append(Question(text=title.group(1).strip(), talking_points=points,
                                example_answer=example, intent=why or None))
    return out
