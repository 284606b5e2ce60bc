"""Quantity terms: exact band edges, rounding, exact proportions and input validation."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qiframe.analysis import quantities
from qiframe.errors import InputError
from qiframe.model import QuantityBand, QuantityTerms


def ci_bands() -> tuple[QuantityBand, ...]:
    """The Care Inspectorate table as qiframe settles its edges."""
    return (
        QuantityBand("none", 0, 0, True, True),
        QuantityBand("few", 0, 15, False, False),
        QuantityBand("less than half", 15, 50, True, False),
        QuantityBand("the majority", 50, 75, True, False),
        QuantityBand("most", 75, 90, True, False),
        QuantityBand("almost all", 90, 100, True, False),
        QuantityBand("all", 100, 100, True, True),
    )


def es_bands() -> tuple[QuantityBand, ...]:
    """Education Scotland's table: most includes 90%, almost all starts above it."""
    return (
        QuantityBand("none", 0, 0, True, True),
        QuantityBand("few", 0, 15, False, False),
        QuantityBand("less than half", 15, 50, True, False),
        QuantityBand("majority", 50, 75, True, False),
        QuantityBand("most", 75, 90, True, True),
        QuantityBand("almost all", 90, 100, False, False),
        QuantityBand("all", 100, 100, True, True),
    )


CI = QuantityTerms(ci_bands())
CI_ROUNDED = QuantityTerms(ci_bands(), rounding="integer")
ES = QuantityTerms(es_bands())


@pytest.mark.parametrize(
    ("percent", "term"),
    [
        (0, "none"),
        (0.001, "few"),
        (14, "few"),
        (14.999, "few"),
        (15, "less than half"),
        (49.9, "less than half"),
        (49.99999, "less than half"),
        (50, "the majority"),
        (74.9, "the majority"),
        (75, "most"),
        (89, "most"),
        (89.99, "most"),
        (90, "almost all"),
        (99.99, "almost all"),
        (100, "all"),
    ],
)
def test_ci_band_edges(percent, term):
    assert quantities.describe(percent, CI).term == term


@pytest.mark.parametrize(
    ("percent", "term"), [(90, "most"), (90.01, "almost all"), (50, "majority"), (15, "less than half")]
)
def test_es_band_edges_differ_at_90(percent, term):
    assert quantities.describe(percent, ES).term == term


def test_description_carries_interval_rule_and_note():
    terms = QuantityTerms(
        tuple(
            QuantityBand(
                b.term, b.lower, b.upper, b.lower_inclusive, b.upper_inclusive, note=f"note on {b.term}"
            )
            for b in ci_bands()
        )
    )
    found = quantities.describe(15, terms)
    assert found.interval == "[15%, 50%)"
    assert '"less than half" covers [15%, 50%)' in found.rule
    assert "not rounded" in found.rule
    assert found.note == "note on less than half"
    assert (found.percent, found.rounded, found.count, found.total) == (15.0, 15.0, None, None)


@pytest.mark.parametrize(
    ("percent", "rounded", "term"),
    [
        (49.5, 50, "the majority"),
        (49.4, 49, "less than half"),
        (14.5, 15, "less than half"),
        (74.49, 74, "the majority"),
        (89.5, 90, "almost all"),
        # Rounding never invents "none" or "all".
        (0.4, 0.4, "few"),
        (99.6, 99.6, "almost all"),
        (0, 0, "none"),
        (100, 100, "all"),
    ],
)
def test_integer_rounding_happens_before_banding(percent, rounded, term):
    found = quantities.describe(percent, CI_ROUNDED)
    assert (found.rounded, found.term) == (rounded, term)
    assert found.percent == percent
    assert "rounded half up" in found.rule


def test_counts_at_band_edges_are_exact():
    edges = {15: "less than half", 50: "the majority", 75: "most", 90: "almost all"}
    for n in range(1, 201):
        for edge, term in edges.items():
            if not (edge * n) % 100:
                assert quantities.describe_count(edge * n // 100, n, CI, minimum=1).term == term, (edge, n)


def test_decimal_bounds_are_read_as_written():
    # The float 0.1 is slightly above one tenth, so 1 of 1,000 (exactly 0.1%) would fall below it if the
    # bound were compared as a float; as written, 0.1% is where the second band starts.
    terms = QuantityTerms((QuantityBand("hardly any", 0, 0.1), QuantityBand("some", 0.1, 100, True, True)))
    assert quantities.describe_count(1, 1000, terms).term == "some"
    assert quantities.describe(0.1, terms).term == "some"
    assert quantities.describe_count(1, 1001, terms).term == "hardly any"


def test_count_of_thirds():
    found = quantities.describe_count(1, 3, CI, minimum=1)
    assert found.term == "less than half"
    assert math.isclose(found.percent, 100 / 3)
    assert (found.count, found.total) == (1, 3)
    assert quantities.describe_count(2, 3, CI, minimum=1).term == "the majority"


@pytest.mark.parametrize("percent", [-0.1, 100.01, float("nan"), float("inf"), "50", True])
def test_bad_percent_is_refused(percent):
    with pytest.raises(InputError):
        quantities.describe(percent, CI)


@pytest.mark.parametrize(("k", "n"), [(5, 4), (-1, 4), (0, 0), (1, -3), (1.5, 4), (True, 4)])
def test_bad_counts_are_refused(k, n):
    with pytest.raises(InputError):
        quantities.describe_count(k, n, CI)


def test_uncovered_percent_is_an_input_error():
    gappy = QuantityTerms(
        (QuantityBand("low", 0, 40, True, False), QuantityBand("high", 60, 100, True, True))
    )
    with pytest.raises(InputError, match="50%"):
        quantities.describe(50, gappy)


def test_other_scales_of_terms_work():
    terms = QuantityTerms(
        (
            QuantityBand("some", 0, 50),
            QuantityBand("many", 50, 100),
            QuantityBand("every one", 100, 100, True, True),
        )
    )
    assert [quantities.describe_count(k, 4, terms, minimum=1).term for k in range(5)] == [
        "some",
        "some",
        "many",
        "many",
        "every one",
    ]


def test_percent_text_never_shows_a_false_edge():
    assert quantities.percent_text(49.96, CI) == "49.96%"
    assert quantities.percent_text(62.5, CI) == "62.5%"
    assert quantities.percent_text(100 / 3, CI) == "33.3%"
    assert quantities.percent_text(50, CI) == "50%"


def _oracle(k: int, n: int, bands) -> list[str]:
    """The bands holding k/n, by integer cross-multiplication (independent of the module's code)."""
    out = []
    for b in bands:
        lo, hi, x = int(b.lower) * n, int(b.upper) * n, 100 * k
        if (x > lo or (b.lower_inclusive and x == lo)) and (x < hi or (b.upper_inclusive and x == hi)):
            out.append(b.term)
    return out


percents = st.one_of(
    st.floats(min_value=0, max_value=100, allow_nan=False),
    st.sampled_from([0.0, 15.0, 50.0, 75.0, 90.0, 100.0, 14.999999, 49.999999, 89.999999]),
)


@given(percents, st.sampled_from([CI, ES, CI_ROUNDED]))
def test_every_percent_is_in_exactly_one_band(percent, terms):
    exact = Fraction(repr(percent))
    holding = [b for b in terms.bands if b.contains(exact)]
    assert len(holding) == 1
    found = quantities.describe(percent, terms)
    if terms.rounding == "none":
        assert found.term == holding[0].term


@given(
    st.integers(min_value=1, max_value=10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.sampled_from([CI, ES]),
)
def test_count_agrees_with_the_exact_fraction(kn, terms):
    k, n = kn
    found = quantities.describe_count(k, n, terms, minimum=1)
    assert [found.term] == _oracle(k, n, terms.bands)
    assert found.term == quantities.describe(Fraction(100 * k, n), terms).term


def test_below_the_minimum_sample_only_counts_are_given():
    found = quantities.describe_count(1, 2, CI)
    assert (found.term, found.interval, found.fraction, found.counts_only) == ("", "", "", True)
    assert found.minimum == quantities.MINIMUM_SAMPLE
    assert "minimum sample of 10" in found.rule
    assert quantities.describe_count(1, 2, CI, minimum=2).term == "the majority"
    framework_min = QuantityTerms(CI.bands, minimum_sample=30)
    assert quantities.describe_count(20, 29, framework_min).counts_only
    assert quantities.describe_count(20, 30, framework_min).term == "the majority"
    with pytest.raises(InputError, match="minimum sample"):
        quantities.describe_count(1, 2, CI, minimum=0)


@pytest.mark.parametrize(
    ("k", "n", "words"),
    [
        (20, 60, "a third"),
        (30, 60, "half"),
        (31, 60, "just over half"),
        (29, 60, "just under half"),
        (40, 60, "two thirds"),
        (39, 60, "just under two thirds"),
        (15, 60, "a quarter"),
        (45, 60, "three quarters"),
        (35, 60, ""),
        (6, 60, ""),
        (0, 60, ""),
        (60, 60, ""),
        (52, 100, "just over half"),
        (53, 100, "just over half"),
        (54, 100, ""),
    ],
)
def test_plain_fractions_exactly_or_nearly(k, n, words):
    # Expected values worked by hand: 31/60 = 51.7% is 1.7 points over half; 35/60 = 58.3% is 8.3 points
    # over half and 8.3 under two thirds, too far from both; 53/100 is 3 points over (NEAR), 54 is 4.
    assert quantities.describe_count(k, n, CI).fraction == words
