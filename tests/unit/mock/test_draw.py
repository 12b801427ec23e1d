"""The mock draw: balanced across competencies and kinds, reproducible from its seed, avoiding recent questions."""

from collections import Counter

import pytest

from rehearse.mock.draw import Candidate, draw

COMPETENCIES = ["strategy", "hiring", "incidents", "coaching", "architecture"]
BANK = [Candidate(id=i, competencies=(COMPETENCIES[i % 5],), kind="behavioural" if i % 2 else "situational")
        for i in range(1, 41)]  # 40 questions: 8 per competency, half of each kind
BY_ID = {c.id: c for c in BANK}


@pytest.mark.parametrize("seed", [0, 1, 7, 12345, 2**31 - 1])
@pytest.mark.parametrize("count", [1, 2, 5, 10, 15])
def test_the_draw_is_balanced(seed, count):
    ids = draw(BANK, count, seed)
    assert len(ids) == len(set(ids)) == count
    per_competency = Counter(BY_ID[i].competencies[0] for i in ids)
    assert max(per_competency.values()) - min(per_competency.get(c, 0) for c in COMPETENCIES[:min(count, 5)]) <= 1
    per_kind = Counter(BY_ID[i].kind for i in ids)
    assert abs(per_kind["behavioural"] - per_kind["situational"]) <= 1


@pytest.mark.parametrize("seed", [3, 99])
def test_the_same_seed_draws_the_same_set_whatever_the_input_order(seed):
    assert draw(BANK, 5, seed) == draw(list(reversed(BANK)), 5, seed)


def test_different_seeds_draw_different_sets():
    assert len({tuple(draw(BANK, 5, seed)) for seed in range(20)}) > 10


@pytest.mark.parametrize(("avoid", "count", "expect_avoided"), [
    (set(range(1, 21)), 5, 0),  # plenty left: none of the recent ones
    (set(range(1, 39)), 5, 3),  # only 2 fresh: the rest come from the recent ones
])
def test_recent_questions_are_avoided_while_others_remain(avoid, count, expect_avoided):
    ids = draw(BANK, count, seed=5, avoid=avoid)
    assert len(ids) == count
    assert sum(1 for i in ids if i in avoid) == expect_avoided


def test_a_small_bank_gives_what_it_has():
    assert sorted(draw(BANK[:3], 10, seed=1)) == [1, 2, 3]


@pytest.mark.parametrize("count", [0, -1])
def test_a_draw_of_nothing_is_refused(count):
    with pytest.raises(ValueError, match="at least one"):
        draw(BANK, count, seed=1)


def test_questions_with_several_competencies_spread_the_draw():
    bank = [Candidate(1, ("strategy", "hiring"), "situational"), Candidate(2, ("strategy",), "situational"),
            Candidate(3, ("hiring",), "behavioural"), Candidate(4, ("incidents",), "behavioural")]
    ids = draw(bank, 2, seed=11)
    covered = Counter(name for i in ids for name in next(c for c in bank if c.id == i).competencies)
    assert max(covered.values()) == 1  # two questions, no competency twice
