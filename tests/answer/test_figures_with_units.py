"""answer.figures.figures_with_units: the figures a statement gives with their units."""

from __future__ import annotations

from answer.figures import figures_with_units


def test_a_mean_number_of_days_is_a_figure_a_whole_day_is_a_date():
    found = figures_with_units("平均は12.5日、締切は25日、開始は10月、件数は48件")
    assert "12.5日" in found and "48件" in found
    assert "25日" not in found and "10月" not in found
