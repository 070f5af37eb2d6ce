"""The formulas on plain numbers: NPS, CSAT, percentiles of a histogram, rates, Pareto, French numbers, charts."""

from atelier.indicators import charts
from atelier.indicators.registry import (
    csat,
    fr_number,
    fr_percent,
    nps,
    percentile_of_histogram,
    rate,
    survey_model,
)


def test_nps_is_promoters_minus_detractors_in_percent():
    # 9, 10, 10 promoters (3); 7, 8 passives; 0, 5, 6 detractors (3) → (3 − 3) / 8 = 0
    assert nps([9, 10, 10, 7, 8, 0, 5, 6]) == 0.0
    assert nps([10, 9, 8, 6]) == 25.0  # (2 − 1) / 4
    assert nps([0, 1]) == -100.0
    assert nps([]) is None


def test_csat_is_the_share_of_4_and_5():
    assert csat([5, 4, 3, 2, 1]) == 40.0
    assert csat([5, 5, 4, 4]) == 100.0
    assert csat([]) is None


def test_percentile_of_a_histogram_is_the_nearest_rank():
    assert percentile_of_histogram({3: 3, 7: 1, 10: 1}, 50) == 3
    assert percentile_of_histogram({3: 3, 7: 1, 10: 1}, 90) == 10
    assert percentile_of_histogram({1: 1, 2: 1}, 50) == 1
    assert percentile_of_histogram({1: 9, 20: 1}, 90) == 1
    assert percentile_of_histogram({}, 50) is None


def test_rate_and_french_numbers():
    assert rate(1, 3) == 100 / 3
    assert rate(1, 0) is None
    assert fr_percent(200 / 3) == "66,7\u00a0%"
    assert fr_number(1234.56) == "1\u00a0234,6"
    assert fr_percent(None) == "—"


def test_pareto_orders_causes_and_cumulates():
    assert charts.pareto([("b", 1), ("a", 3), ("c", 1)]) == [("a", 3, 60.0), ("b", 1, 80.0), ("c", 1, 100.0)]
    assert charts.pareto([]) == []


def test_charts_are_inline_svg_with_escaped_labels():
    svg = charts.bar_chart([("<Bosch>", 3.0), ("Miele", 1.0)], title="Par marque")
    assert svg.startswith('<svg class="ind-chart"') and svg.count("<rect") == 2
    assert "&lt;Bosch&gt;" in svg and "<Bosch>" not in svg
    line = charts.line_chart(["janv. 25", "févr. 25", "mars 25"], [("Rendus", [1.0, None, 3.0])], title="t")
    assert (
        line.count("<circle") == 2 and "<polyline" not in line
    )  # a gap breaks the line: no run of two points
    pareto = charts.pareto_chart(charts.pareto([("Pompe", 2), ("Joint", 1)]), title="p")
    assert pareto.count("<rect") == 2 and pareto.count("<polyline") == 1


def test_survey_model_is_none_while_improvement_is_not_installed():
    from django.apps import apps

    assert survey_model() is (
        apps.get_model("improvement", "SurveyAnswer") if apps.is_installed("atelier.improvement") else None
    )
