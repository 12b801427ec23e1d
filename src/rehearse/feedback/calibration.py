"""Calibrated constants of the engine, one set per backend.

The "e5" constants (the default judge) are fitted by
``python -m benchmarks.feedback_quality --calibrate --write --backends e5`` on the *train*
split of the blind development set (benchmarks/data/blind: answers written without seeing the
rubric, labelled point by point by others); its held-out questions, the team's own dev set,
Mohler and chitamoor are never used for fitting; the e5 point models leave out the English
word-overlap features (benchmarks/_feedback_calibrate.py, WORD_FEATURES). The "onnx" and "lexical" constants are engine
1.1's, fitted on the train split of the team's dev set (benchmarks/data/dev_*.yaml); they give
the "before" figures. Logistic regressions with numpy on the features named below; no
constant refers to a particular question.
"""

from __future__ import annotations

# Talking point strength = sigmoid((bias + sum(w * feature)) / temperature); covered when
# strength >= 0.5. features: points.POINT_FEATURES (see points.unit_features), computed for
# every answer unit (sentence or adjacent pair); the best unit is the evidence. Fitted as a
# multiple-instance logistic regression (L2 0.05): pick each point's best unit under the
# current weights, refit, six rounds; rows are every talking point of the train answers plus
# every point of a train question asked another train question's strong answer (not covered).
# The bias is shifted to the F1-best cut on train; features whose weight came out negative
# are dropped (0) and the rest refitted, so strength only ever grows with each feature; the
# temperature is the one whose mean strength per answer best matches the labelled covered
# fraction on train (searched from 0.5 to 4).
POINT = {
    "onnx": {"bias": -21.719, "cos_point": 0.0, "cos_example": 1.28, "lexical": 1.138, "substance": 8.707,
             "rel_example": 2.443, "hash_example": 9.162, "rel_point": 1.003, "cos_answer": 0.12,
             "plain": 0.386, "assign": 0.791, "position": 2.352, "ans_size": 0.814,
             "ans_fit": 13.228, "lexical_answer": 2.73, "temperature": 0.5},
    "lexical": {"bias": -18.527, "cos_point": 0.0, "cos_example": 0.0, "lexical": 1.981, "substance": 10.4,
                "rel_example": 7.838, "hash_example": 2.848, "rel_point": 0.648,
                "cos_answer": 0.0, "plain": 1.418, "assign": 0.0, "position": 1.324,
                "ans_size": 0.131, "ans_fit": 17.009, "lexical_answer": 1.976,
                "temperature": 0.5},
    "e5": {"bias": -27.541, "cos_point": 1.446, "cos_example": 3.446, "lexical": 0.0, "substance": 0.0,
           "rel_example": 4.232, "hash_example": 0.0, "rel_point": 0.0, "cos_answer": 0.0,
           "plain": 0.0, "assign": 1.309, "position": 0.727, "ans_size": 0.0, "ans_fit": 12.436,
           "lexical_answer": 0.0, "q_point": 0.0, "q_rel": 0.0, "q_answer": 0.0, "q_share": 0.0,
           "q_lift": 1.177, "concrete": 0.044, "unbuzzed": 0.0, "ans_concrete": 1.157,
           "ans_unbuzzed": 7.071, "q_share_concrete": 0.0, "q_ulift": 9.674, "ex_ulift": 2.378,
           "fit_ulift": 3.223, "bq_point": 2.568, "bq_ulift": 12.065, "temperature": 0.5},
}

# Which unit a talking point shows as its evidence (a rubric with an example answer): the
# same features, fitted as a plain logistic regression on every (point, unit) of the train
# answers, a unit positive when a second labelling of the answers sentence by sentence marks
# one of its sentences as covering the point (benchmarks/data/blind/sentence_labels.jsonl).
# The point model above learns from whole-answer labels only and may cover a point with a
# neighbouring sentence; this one was told which sentences cover what (3-fold cross-validation
# by question on train: the shown unit holds a covering sentence 66.2% -> 70.7%).
EVIDENCE = {
    "e5": {"bias": -38.44, "cos_example": 6.189, "rel_example": 4.476, "assign": 1.744, "position": 2.075,
           "ans_fit": 16.468, "q_share": 0.827, "q_lift": 1.382, "concrete": 0.204,
           "unbuzzed": 0.073, "ans_concrete": 1.341, "ans_unbuzzed": 7.88,
           "q_share_concrete": 0.408, "q_ulift": 2.856, "ex_ulift": 2.277, "bq_point": 5.055,
           "bq_ulift": 6.579},
}

# The same model fitted on the same rows with every question stripped of its example answer
# (the example features then fall back to the point itself): used for questions without one.
BARE = {
    "onnx": {"bias": -21.653, "cos_point": 0.295, "cos_example": 0.295, "lexical": 1.505,
             "substance": 11.222, "rel_example": 1.624, "hash_example": 2.856,
             "rel_point": 1.624, "cos_answer": 0.0, "plain": 1.581, "assign": 0.0,
             "position": 2.122, "ans_size": 1.163, "ans_fit": 14.851, "lexical_answer": 2.389,
             "temperature": 0.5},
    "lexical": {"bias": -18.584, "cos_point": 0.0, "cos_example": 0.0, "lexical": 1.049, "substance": 11.843,
                "rel_example": 2.048, "hash_example": 0.0, "rel_point": 2.048,
                "cos_answer": 0.0, "plain": 1.585, "assign": 0.0, "position": 3.232,
                "ans_size": 0.0, "ans_fit": 14.082, "lexical_answer": 3.241,
                "temperature": 0.5},
    "e5": {"bias": -14.438, "cos_point": 0.0, "cos_example": 0.0, "lexical": 0.0, "substance": 0.0,
           "rel_example": 0.0, "hash_example": 0.0, "rel_point": 0.0, "cos_answer": 0.0,
           "plain": 0.0, "assign": 0.0, "position": 0.815, "ans_size": 0.0, "ans_fit": 0.0,
           "lexical_answer": 0.0, "q_point": 2.285, "q_rel": 0.0, "q_answer": 0.0,
           "q_share": 0.006, "q_lift": 4.319, "concrete": 0.065, "unbuzzed": 0.247,
           "ans_concrete": 1.392, "ans_unbuzzed": 6.554, "q_share_concrete": 0.0,
           "q_ulift": 10.025, "ex_ulift": 5.743, "fit_ulift": 7.743, "bq_point": 3.529,
           "bq_ulift": 12.759, "temperature": 0.5},
}

# A rubric of one point is a reference answer (e.g. a desired answer of a short-answer
# question): its strength is the answer's whole coverage and must be graded. Same features and
# form (no cut shift, temperature 1), fitted as a logistic regression with soft labels on
# the train split's questions re-posed with their example answer as the only point, the
# target being each answer's labelled covered fraction (0 for another question's answer).
REFERENCE = {
    "onnx": {"bias": -14.41, "cos_example": 1.678, "lexical": 1.24, "substance": 2.063, "cos_answer": 5.116,
             "plain": 2.358, "position": 2.492, "ans_size": 1.316, "ans_fit": 0.294,
             "lexical_answer": 11.542},
    "lexical": {"bias": -13.455, "cos_point": 0.234, "cos_example": 0.407, "lexical": 0.945,
                "substance": 3.974, "hash_example": 0.305, "cos_answer": 6.034,
                "plain": 2.442, "position": 0.977, "ans_size": 1.277, "ans_fit": 4.597,
                "lexical_answer": 9.007},
    "e5": {"bias": -14.786, "cos_point": 0.269, "lexical": 4.39, "substance": 0.936, "hash_example": 1.538,
           "plain": 1.55, "position": 0.649, "ans_size": 0.592, "lexical_answer": 5.628,
           "q_share": 0.0, "q_lift": 1.255, "ans_unbuzzed": 6.78, "q_ulift": 4.292,
           "fit_ulift": 2.906, "bq_point": 2.092, "bq_ulift": 5.676},
}

# On-topic probability = sigmoid(bias + sum(w * feature)); on topic when >= threshold, the
# threshold flagging about 3% of the train split's own answers. Features (relevance.judge_relevance):
# affinity (answer vs this question's profile: question + points, and example answer);
# head_margin (cosine to this question + points minus the best other bank question's, over the
# whole bank); other (that best other cosine); fit_margin (mean over points of the best
# unit-to-point cosine, this question minus the best of 5 model-closest + 3 word-closest
# questions); lex_margin (hashed-stem overlap with this question's material minus the
# word-closest other's); margin (lexical backend only: whole-profile affinity margin over
# the same shortlist); bm25_margin (BM25 of the answer's words against this question's
# material minus the best other question's, feedback/bankwords.py; e5 only, zero elsewhere);
# bm25_ratio (the same two scores as log((1 + own) / (1 + best other)): a terse answer to a
# neighbouring question has a small margin but the same ratio as a long one). The ratio drives the
# report's "other_question" note; the e5 judge refitted with it caught more of the blind set's
# off-topic answers (held out 61.5% -> 67.0%) but flagged more genuine ones there (2.7% -> 3.3%) and
# on the team's dev set (0% -> 2.2%), and caught fewer of chitamoor's (94.0% -> 90.6%): not used.
# The e5 judge leaves out head_margin and other (relevance.HEAD_FEATURES), so it never encodes
# a whole bank's heads; its point-by-point shortlist is the 6 word-closest questions.
# Fitted on the train split: positives = each question's own answers, negatives = the strong
# and partial answers of the 3 nearest and 5 random other train questions of the same bank.
TOPIC = {
    "onnx": {"coefs": {"bias": -0.71, "affinity": 6.06, "head_margin": 8.781, "other": -4.671,
                      "fit_margin": 8.452, "lex_margin": 14.979, "margin": 0.0},
             "threshold": 0.061},
    "lexical": {"coefs": {"bias": -1.688, "affinity": 4.188, "head_margin": 5.223, "other": 2.077,
                         "fit_margin": 2.386, "lex_margin": 18.655, "margin": 7.746},
                "threshold": 0.014},
    "e5": {"coefs": {"bias": -12.558, "affinity": 14.892, "fit_margin": 10.131, "lex_margin": 17.601,
                    "margin": 0.0, "bm25_margin": 0.158},
           "threshold": 0.038},
}
# Without a bank there is nothing to compare with: a weak absolute test on affinity alone (it
# flags few answers; same data and threshold rule).
TOPIC_NO_BANK = {
    "onnx": {"coefs": {"bias": -10.537, "affinity": 17.316}, "threshold": 0.004},
    "lexical": {"coefs": {"bias": -6.03, "affinity": 20.695}, "threshold": 0.008},
    "e5": {"coefs": {"bias": -18.509, "affinity": 18.605}, "threshold": 0.091},
}
