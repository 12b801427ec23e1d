"""Calibrated constants of the engine, one set per backend.

Fitted by ``python benchmarks/feedback_quality.py --calibrate --write [--backend lexical]``
on the *train* split of the project's labelled dev sets (benchmarks/data/dev_*.yaml;
logistic regressions with numpy on the features named below); the held-out split, Mohler
and chitamoor are never used for fitting. No constant refers to a particular question.
"""

from __future__ import annotations

# Talking point strength = sigmoid((bias + sum(w * feature)) / temperature); covered when
# strength >= 0.5. features (see engine._unit_features): cos_point, cos_example, lexical,
# substance, rel_example, hash_example, rel_point, cos_answer. The bias is shifted to the
# F1-best cut on train; features whose weight came out negative are dropped (0) and the rest
# refitted, so strength only ever grows with similarity; the temperature is the one whose
# mean strength per answer best matches the labelled covered fraction on train.
POINT = {
    "onnx": {"bias": -19.858, "cos_point": 0.0, "cos_example": 1.079, "lexical": 0.422,
             "substance": 7.439, "rel_example": 2.474, "hash_example": 9.279,
             "rel_point": 0.983, "cos_answer": 0.34, "concrete": 0.26,
             "plain": 0.0, "assign": 1.265, "position": 2.638, "ans_size": 1.761,
             "ans_fit": 10.828, "lexical_answer": 1.791, "temperature": 0.5},
    "lexical": {"bias": -15.169, "cos_point": 0.0, "cos_example": 7.863, "lexical": 3.334,
                "substance": 13.369, "rel_example": 1.886, "hash_example": 4.995},
}

# A rubric of one point is a reference answer (e.g. a desired answer of a short-answer
# question): its strength is the answer's whole coverage and must be graded. Same features and
# form (no cut shift, temperature 1), fitted as a logistic regression with soft labels on
# the train split's questions re-posed with their example answer as the only point, the
# target being each answer's labelled covered fraction (0 for another question's answer).
REFERENCE = {
    "onnx": {"bias": -16.058, "cos_point": 0.776, "lexical": 0.729, "substance": 2.106,
             "cos_answer": 5.579, "concrete": 0.098, "plain": 3.018,
             "position": 2.793, "ans_size": 1.35, "ans_fit": 2.54,
             "lexical_answer": 10.137},
    "lexical": {"bias": 0.0},
}

# On-topic probability = sigmoid(bias + sum(w * feature)); on topic when >= threshold (chosen
# so that about 3% of the train split's own answers are flagged).
# features: margin (affinity to this question minus the best of the 5 bank questions closest
# by word overlap; affinity = answer vs question + points and vs example answer), other (that
# best affinity), fit_margin (mean best unit-to-point cosine for this question minus the best
# of those 5 questions'), lex_margin (hashed-stem overlap with this question's material minus
# that with the closest other question's).
TOPIC = {
    "onnx": {"coefs": {"bias": 3.045, "margin": 6.38, "other": -5.367, "fit_margin": 7.238,
                       "lex_margin": 7.601, "head_margin": 6.226,
                       "example_margin": 5.76, "coverage": 1.469},
             "threshold": 0.075},
    "lexical": {"coefs": {"bias": 2.733, "margin": 25.234, "other": -3.966}, "threshold": 0.342},
}
# Without a bank there is nothing to compare with: a weak absolute test (few false alarms).
TOPIC_NO_BANK = {
    "onnx": {"coefs": {"bias": -9.881, "affinity": 16.909}, "threshold": 0.005},
    "lexical": {"coefs": {"bias": -1.258, "affinity": 12.048}, "threshold": 0.296},
}
