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
    "onnx": {"bias": -20.253, "cos_point": 0.0, "cos_example": 0.281, "lexical": 1.422,
             "substance": 7.803, "rel_example": 1.751, "hash_example": 8.4,
             "rel_point": 1.076, "cos_answer": 0.0, "plain": 0.399,
             "assign": 1.617, "position": 2.597, "ans_size": 0.698,
             "ans_fit": 12.909, "lexical_answer": 1.761, "temperature": 0.5},
    "lexical": {"bias": -16.847, "cos_point": 0.0, "cos_example": 0.138, "lexical": 2.226,
                "substance": 8.63, "rel_example": 4.947, "hash_example": 4.69,
                "rel_point": 1.294, "cos_answer": 0.0, "plain": 1.067,
                "assign": 0.783, "position": 1.682, "ans_size": 0.364,
                "ans_fit": 15.363, "lexical_answer": 0.462, "temperature": 0.5},
}

# A rubric of one point is a reference answer (e.g. a desired answer of a short-answer
# question): its strength is the answer's whole coverage and must be graded. Same features and
# form (no cut shift, temperature 1), fitted as a logistic regression with soft labels on
# the train split's questions re-posed with their example answer as the only point, the
# target being each answer's labelled covered fraction (0 for another question's answer).
REFERENCE = {
    "onnx": {"bias": -14.896, "cos_point": 0.215, "lexical": 2.242, "substance": 2.573,
             "hash_example": 0.683, "cos_answer": 5.626, "plain": 2.772,
             "position": 1.67, "ans_size": 1.251, "ans_fit": 2.268,
             "lexical_answer": 10.01},
    "lexical": {"bias": -12.005, "cos_example": 1.622, "lexical": 0.392, "substance": 2.267,
                "hash_example": 0.342, "cos_answer": 5.823, "plain": 2.434,
                "position": 1.561, "ans_size": 1.201, "ans_fit": 4.077,
                "lexical_answer": 9.175},
}

# On-topic probability = sigmoid(bias + sum(w * feature)); on topic when >= threshold (chosen
# so that about 3% of the train split's own answers are flagged).
# features: margin (affinity to this question minus the best of the 5 bank questions closest
# by word overlap; affinity = answer vs question + points and vs example answer), other (that
# best affinity), fit_margin (mean best unit-to-point cosine for this question minus the best
# of those 5 questions'), lex_margin (hashed-stem overlap with this question's material minus
# that with the closest other question's).
TOPIC = {
    "onnx": {"coefs": {"bias": -0.679, "affinity": 6.399, "head_margin": 8.49, "other": -4.989,
                       "fit_margin": 7.896, "lex_margin": 12.787},
             "threshold": 0.077},
    "lexical": {"coefs": {"bias": -0.818, "margin": 10.496, "other": 1.484,
                          "fit_margin": 7.565, "lex_margin": 16.224},
                "threshold": 0.029},
}
# Without a bank there is nothing to compare with: a weak absolute test (few false alarms).
TOPIC_NO_BANK = {
    "onnx": {"coefs": {"bias": -9.881, "affinity": 16.909}, "threshold": 0.005},
    "lexical": {"coefs": {"bias": -5.432, "affinity": 19.695}, "threshold": 0.012},
}
