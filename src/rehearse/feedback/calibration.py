"""Calibrated constants of the engine, one set per backend.

Fitted by ``benchmarks/feedback_quality.py --calibrate`` on the *train* split of the
project's labelled dev sets (logistic regressions on the features named below); the
held-out split is never used for fitting. No constant refers to a particular question.
"""

from __future__ import annotations

# Talking point strength = sigmoid(bias + sum(w * feature)); covered when strength >= 0.5.
# features: cos_point, cos_example (the example answer's sentence for this point),
# lexical (weighted share of the point's content stems present), substance (0-1).
POINT = {
    "onnx": {"bias": -20.0, "cos_point": 0.0, "cos_example": 8.0, "lexical": 4.0,
             "substance": 16.0, "rel_example": 4.0},
    "lexical": {"bias": -10.0, "cos_point": 3.0, "cos_example": 3.0, "lexical": 4.0,
                "substance": 8.0, "rel_example": 2.0},
}

# On-topic probability = sigmoid(bias + sum(w * feature)); on topic when >= THRESHOLD.
# features: affinity (answer vs this question's profile), margin (affinity minus the best
# other question of the bank; 0 without a bank), coverage (mean point strength).
TOPIC = {
    "onnx": {"bias": -6.0, "affinity": 12.0, "margin": 20.0, "coverage": 3.0},
    "lexical": {"bias": -3.0, "affinity": 10.0, "margin": 12.0, "coverage": 3.0},
}
TOPIC_NO_BANK = {
    "onnx": {"bias": -6.0, "affinity": 12.0, "margin": 0.0, "coverage": 3.0},
    "lexical": {"bias": -3.0, "affinity": 10.0, "margin": 0.0, "coverage": 3.0},
}
TOPIC_THRESHOLD = 0.5
