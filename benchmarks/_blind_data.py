"""The blind development set: answers written without seeing the rubric, labelled afterwards.

`benchmarks/data/blind/*.yaml` holds, per question, answers written by people who saw only
the question and a persona (never the talking points or the model answer), in many voices,
and labels given afterwards by someone else, point by point: 2 covered with substance,
1 covered briefly, 0 not covered (a keyword without content is 0), the quote that covers it,
and whether the answer is on this question at all. See benchmarks/data/blind/README.md.

The questions' rubrics come from where a user would get them: the built-in bank (package
data), the seed page and the chitamoor bank (../shared, skipped with a reason when absent),
all read with rehearse.formats as `rehearse import` reads them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from rehearse.feedback import Question
from rehearse.formats import parse_talking_points, read_path, slugify

ROOT = Path(__file__).resolve().parents[1]
BLIND_DIR = ROOT / "benchmarks" / "data" / "blind"
UNSEEN_DIR = ROOT / "benchmarks" / "data" / "unseen"
SHARED = ROOT.parent / "shared"
SOURCES = {
    "builtin": ROOT / "src" / "rehearse" / "data" / "bank",
    "seed": SHARED / "seed" / "head-of-software-engineering.txt",
    "chitamoor": SHARED / "external" / "chitamoor-interview-prep",
}
SENTENCE_LABELS = BLIND_DIR / "sentence_labels.jsonl"
EXAMPLE_LABELS = BLIND_DIR / "example_labels.jsonl"
QUALITIES = ("strong", "partial", "weak", "stuffed")


def blind_split(slug: str) -> str:
    """Held out by question: a fixed hash of the slug puts about 30% of questions in 'test'."""
    return "test" if int(hashlib.sha256(slug.encode()).hexdigest(), 16) % 10 < 3 else "train"


@dataclass(frozen=True)
class BlindAnswer:
    id: str
    quality: str  # what the writer set out to write: strong / partial / weak / stuffed
    voice: str
    language: str  # "English" unless the writer was asked for another language
    text: str
    points: tuple[int, ...]  # labeller's 0/1/2 per talking point
    evidence: tuple[str | None, ...]
    on_topic: bool

    @property
    def covered(self) -> tuple[bool, ...]:
        return tuple(v >= 1 for v in self.points)

    @property
    def covered_fraction(self) -> float:
        return sum(self.covered) / len(self.points) if self.points else 0.0


@dataclass(frozen=True)
class BlindQuestion:
    slug: str
    source: str
    question: Question
    answers: tuple[BlindAnswer, ...]

    @property
    def split(self) -> str:
        return blind_split(self.slug)


def _question(doc) -> Question:
    points = doc.talking_points if doc.talking_points is not None else parse_talking_points(doc.intent)
    return Question(text=doc.text, talking_points=tuple(points), example_answer=doc.example_answer,
                    intent=doc.intent, kind=doc.kind, competencies=tuple(doc.competencies))


def _read_bank(files) -> dict[str, Question]:
    bank: dict[str, Question] = {}
    for f in files:
        for role in read_path(f).bank.roles:
            for doc in role.questions:
                bank[doc.slug or slugify(doc.text)] = _question(doc)
    return bank


def load_sources() -> tuple[dict[str, dict[str, Question]], list[str]]:
    """source -> slug -> Question for each source present, and why any source is missing."""
    out: dict[str, dict[str, Question]] = {}
    missing = []
    for source, path in SOURCES.items():
        if not path.exists():
            missing.append(f"{source}: {path} is absent")
            continue
        out[source] = _read_bank(sorted(path.glob("*.yaml")) if source == "builtin" else [path])
    return out, missing


def load_unseen(unseen_dir: Path = UNSEEN_DIR) -> tuple[dict[str, dict[str, Question]], list[BlindQuestion]]:
    """The unseen-domain set (nursing, B2B sales): its banks (source "unseen:<file stem>", one
    bank per file) and blind answers, kept apart from the blind set so that nothing is ever
    fitted or chosen on it (see its README)."""
    bank_files = sorted((unseen_dir / "bank").glob("*.yaml"))
    if not bank_files or not (unseen_dir / "answers.yaml").exists():
        return {}, []
    sources = {f"unseen:{f.stem}": _read_bank([f]) for f in bank_files}
    return sources, load_blind(sources, unseen_dir, pattern="answers.yaml")


def load_blind(sources: dict[str, dict[str, Question]], blind_dir: Path = BLIND_DIR,
               pattern: str = "*.yaml") -> list[BlindQuestion]:
    """Every labelled question whose source is present; labels must fit the rubric's length."""
    out = []
    for path in sorted(blind_dir.glob(pattern)):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            bank = sources.get(item["source"])
            if bank is None:
                continue
            question = bank[item["question"]]
            k = len(question.talking_points)
            answers = []
            for a in item["answers"]:
                if len(a["points"]) != k:
                    raise ValueError(f"{path}: answer {a['id']} has {len(a['points'])} labels for {k} points")
                answers.append(BlindAnswer(a["id"], a["quality"], a["voice"], a.get("language", "English"),
                                           a["text"], tuple(a["points"]), tuple(a.get("evidence") or [None] * k),
                                           bool(a.get("on_topic", True))))
            out.append(BlindQuestion(item["question"], item["source"], question, tuple(answers)))
    return out


def load_sentence_labels(path: Path = SENTENCE_LABELS) -> dict[tuple[str, str], dict[int, tuple[int, ...]]]:
    """(question slug, answer id) -> sentence index -> 0/1/2 per talking point: the second,
    sentence-by-sentence labelling of the train answers (see README.md)."""
    out: dict[tuple[str, str], dict[int, tuple[int, ...]]] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.setdefault((row["slug"], row["answer_id"]), {})[row["sentence"]] = tuple(row["labels"])
    return out


def load_example_labels(path: Path = EXAMPLE_LABELS) -> dict[str, list[list[int]]]:
    """"<source>:<slug>" -> per talking point, the example-answer sentences (as `sentences`
    cuts the cleaned example answer) that show it, best first; empty when none does."""
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            out[item["id"]] = item["shows"]
    return out
