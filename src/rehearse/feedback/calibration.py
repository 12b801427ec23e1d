"""Calibrated constants of the engine, one set per backend.

Fitted by ``benchmarks/feedback_quality.py --calibrate`` on the *train* split of the
project's labelled dev sets (logistic regressions on the features named below); the
held-out split is never used for fitting. No constant refers to a particular question.
"""

from __future__ import annotations

# Talking point strength = sigmoid(bias + sum(w * feature)); covered when strength >= 0.5.
# features (see engine._unit_features): cos_point, cos_example, lexical, substance,
# rel_example, hash_example. The bias is shifted to the F1-best cut on train. Features
# whose weight came out negative are dropped (0) and the rest refitted, so strength only
# ever grows with similarity.
POINT = {
    "onnx": {"bias": -15.446, "cos_point": 0.522, "cos_example": 9.183, "lexical": 2.641,
             "substance": 9.154, "rel_example": 0.0, "hash_example": 10.145},
    "lexical": {"bias": -15.169, "cos_point": 0.0, "cos_example": 7.863, "lexical": 3.334,
                "substance": 13.369, "rel_example": 1.886, "hash_example": 4.995},
}

# On-topic probability = sigmoid(bias + sum(w * feature)); on topic when >= threshold (chosen
# so that about 3% of the train split's own answers are flagged).
# features: affinity (answer vs this question's profile: question + points, example answer),
# margin (affinity minus the best of the 5 bank questions closest by word overlap), other
# (that best affinity).
TOPIC = {
    "onnx": {"coefs": {"bias": 5.983, "margin": 19.949, "other": -7.95}, "threshold": 0.351},
    "lexical": {"coefs": {"bias": 2.733, "margin": 25.234, "other": -3.966}, "threshold": 0.342},
}
# Without a bank there is nothing to compare with: a weak absolute test (few false alarms).
TOPIC_NO_BANK = {
    "onnx": {"coefs": {"bias": -3.748, "affinity": 9.718}, "threshold": 0.19},
    "lexical": {"coefs": {"bias": -1.258, "affinity": 12.048}, "threshold": 0.296},
}
