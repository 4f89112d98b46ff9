"""Knowledge gain equals hand-computed figures on a small crafted cohort (DOMAIN.md rules)."""

from decimal import Decimal

from assessments.gain import knowledge_gain

# Ana 40 → 80, Luis 60 → 60, Rosa 100 → 90 (a perfect pre-test), José took only the pre-test,
# Carmen only the post-test.
COHORT = [(40, 80), (60, 60), (100, 90), (50, None), (None, 70)]


def test_crafted_cohort_matches_the_hand_computation():
    gain = knowledge_gain(COHORT, mastery_percent=85)
    assert (gain.n_pre, gain.n_post, gain.n_matched) == (4, 4, 3)
    assert (gain.attrition, gain.post_without_pre) == (1, 1)
    assert gain.attrition_percent == Decimal("25.00")
    # Means over the three matched people: (40+60+100)/3 and (80+60+90)/3.
    assert gain.mean_pre == Decimal("66.67")
    assert gain.mean_post == Decimal("76.67")
    assert gain.mean_difference == Decimal("10.00")
    assert gain.percent_improved == Decimal("33.33")  # Ana only
    assert gain.percent_mastered == Decimal("33.33")  # Rosa's 90 ≥ 85
    # Hake: (76.667 − 66.667) / (100 − 66.667) = 10 / 33.333 = 0.3 exactly.
    assert gain.hake_gain == Decimal("0.300")
    assert gain.hake_band == "medium"
    # Individual gains: Ana 40/60, Luis 0/40; Rosa (pre 100%) is left out and counted.
    assert gain.mean_individual_gain == Decimal("0.333")
    assert gain.excluded_at_ceiling == 1
    assert gain.individual_band == "medium"


def test_everyone_at_the_ceiling_has_no_gain_to_compute():
    gain = knowledge_gain([(100, 100), (100, 95)], mastery_percent=85)
    assert gain.hake_gain is None and gain.mean_individual_gain is None
    assert gain.excluded_at_ceiling == 2
    assert gain.percent_improved == Decimal("0.00")


def test_no_matched_pairs_reports_only_counts():
    gain = knowledge_gain([(30, None)], mastery_percent=85)
    assert gain.n_matched == 0 and gain.attrition == 1
    assert gain.mean_pre is None and gain.hake_gain is None and gain.hake_band == ""


def test_bands_follow_the_cut_offs():
    assert knowledge_gain([(0, 29)], mastery_percent=85).hake_band == "low"
    assert knowledge_gain([(0, 70)], mastery_percent=85).hake_band == "medium"
    assert knowledge_gain([(0, 71)], mastery_percent=85).hake_band == "high"
