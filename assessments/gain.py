"""Knowledge gain from pre-test / post-test pairs, following DOMAIN.md.

Only people with both scores are compared (n matched); the others are counted (attrition: a
pre-test without a post-test; a post-test without a pre-test). Reported: mean pre, mean post,
mean difference, % improved (post > pre), % mastered (post >= the course's mastery cut-off), Hake's
normalized gain <g> = (mean post − mean pre) / (100 − mean pre), and the mean of individual gains
(post − pre) / (100 − pre), from which people who scored 100% on the pre-test are excluded (and
counted). Bands of g: < 0.3 low, 0.3–0.7 medium, > 0.7 high.

Everything is computed with exact fractions and rounded once, at the end.
"""

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import pgettext_lazy

BANDS = (
    ("low", pgettext_lazy("knowledge gain", "low")),
    ("medium", pgettext_lazy("knowledge gain", "medium")),
    ("high", pgettext_lazy("knowledge gain", "high")),
)


def _round(value: Fraction | None, places: str) -> Decimal | None:
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def band(g: Decimal | None) -> str:
    if g is None:
        return ""
    if g < Decimal("0.3"):
        return "low"
    if g <= Decimal("0.7"):
        return "medium"
    return "high"


@dataclass(frozen=True)
class KnowledgeGain:
    n_pre: int
    n_post: int
    n_matched: int
    attrition: int  # pre-test but no post-test
    post_without_pre: int
    mean_pre: Decimal | None  # percent, 2 decimals
    mean_post: Decimal | None
    mean_difference: Decimal | None  # percentage points
    percent_improved: Decimal | None
    percent_mastered: Decimal | None
    hake_gain: Decimal | None  # 3 decimals
    hake_band: str
    mean_individual_gain: Decimal | None
    individual_band: str
    excluded_at_ceiling: int  # pre-test of 100%, left out of the individual gains
    mastery_percent: int

    @property
    def hake_band_label(self) -> str:
        return str(dict(BANDS).get(self.hake_band, ""))

    @property
    def individual_band_label(self) -> str:
        return str(dict(BANDS).get(self.individual_band, ""))

    @property
    def attrition_percent(self) -> Decimal | None:
        if not self.n_pre:
            return None
        return _round(Fraction(self.attrition * 100, self.n_pre), "0.01")

    def as_dict(self) -> dict:
        return {**asdict(self), "attrition_percent": self.attrition_percent}


def knowledge_gain(
    pairs: list[tuple[Decimal | Fraction | int | None, Decimal | Fraction | int | None]],
    *,
    mastery_percent: int,
) -> KnowledgeGain:
    """``pairs``: one (pre %, post %) per person, None where that test is missing."""
    pre_only = sum(1 for pre, post in pairs if pre is not None and post is None)
    post_only = sum(1 for pre, post in pairs if pre is None and post is not None)
    matched = [
        (Fraction(str(pre)), Fraction(str(post)))
        for pre, post in pairs
        if pre is not None and post is not None
    ]
    n = len(matched)
    mean_pre = mean_post = hake = mean_g = None
    improved = mastered = None
    ceiling = 0
    if n:
        mean_pre = sum(p for p, _ in matched) / n
        mean_post = sum(q for _, q in matched) / n
        improved = Fraction(sum(1 for p, q in matched if q > p) * 100, n)
        mastered = Fraction(sum(1 for _, q in matched if q >= mastery_percent) * 100, n)
        if mean_pre < 100:
            hake = (mean_post - mean_pre) / (100 - mean_pre)
        gains = [(q - p) / (100 - p) for p, q in matched if p < 100]
        ceiling = n - len(gains)
        if gains:
            mean_g = sum(gains) / len(gains)
    hake_d, mean_g_d = _round(hake, "0.001"), _round(mean_g, "0.001")
    return KnowledgeGain(
        n_pre=n + pre_only,
        n_post=n + post_only,
        n_matched=n,
        attrition=pre_only,
        post_without_pre=post_only,
        mean_pre=_round(mean_pre, "0.01"),
        mean_post=_round(mean_post, "0.01"),
        mean_difference=_round(mean_post - mean_pre, "0.01") if n else None,
        percent_improved=_round(improved, "0.01"),
        percent_mastered=_round(mastered, "0.01"),
        hake_gain=hake_d,
        hake_band=band(hake_d),
        mean_individual_gain=mean_g_d,
        individual_band=band(mean_g_d),
        excluded_at_ceiling=ceiling,
        mastery_percent=mastery_percent,
    )
