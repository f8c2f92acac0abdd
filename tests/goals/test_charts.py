"""The inline SVG charts: valid XML for 0, 1 and many points, negative values, escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template

from goals.templatetags.goals_charts import (
    budget_totals,
    money,
    percent,
    plain_number,
    render_line_chart,
    render_sparkline,
)

NS = "{http://www.w3.org/2000/svg}"
MANY = [(date(2026, month, 28), Decimal(month * 5)) for month in range(1, 11)]
NEGATIVE = [
    (date(2026, 1, 31), Decimal("-12.5")),
    (date(2026, 2, 28), Decimal("-3")),
    (date(2026, 3, 31), Decimal("4")),
]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 (our own output, parsed to prove it is valid XML)
    assert root.tag == f"{NS}svg"
    return root


def coordinates(root: ET.Element) -> list[float]:
    values = []
    for element in root.iter():
        names = ("x", "y", "x1", "y1", "x2", "y2", "cx", "cy")
        values.extend(float(element.attrib[name]) for name in names if name in element.attrib)
        if "points" in element.attrib:
            values.extend(float(v) for pair in element.attrib["points"].split() for v in pair.split(","))
    return values


@pytest.mark.parametrize("points", [[], MANY[:1], MANY, NEGATIVE], ids=["none", "one", "many", "negative"])
def test_line_chart_is_valid_svg_inside_its_box(points):
    root = parse(
        render_line_chart(points, baseline=Decimal(0), target=Decimal(60), stretch=Decimal(70), unit="家",
                          title="新签客户数", desc="Ten monthly updates.", chart_id="kr-7")
    )  # fmt: skip
    assert root.find(f"{NS}title").text == "新签客户数"
    assert root.find(f"{NS}desc").text == "Ten monthly updates."
    assert root.attrib["aria-labelledby"] == "kr-7-title kr-7-desc"
    assert len(root.findall(f"{NS}circle")) == len(points)
    assert len(root.findall(f"{NS}polyline")) == (1 if len(points) > 1 else 0)
    assert root.find(f"{NS}line[@class='kr-chart-target']").attrib["stroke-dasharray"]
    assert all(0 <= v <= 640 for v in coordinates(root))


def test_line_chart_without_points_says_so():
    root = parse(render_line_chart([], target=Decimal(60)))
    assert root.find(f"{NS}text[@class='kr-chart-empty']").text == "No progress updates yet"


def test_negative_values_get_a_zero_line_and_lower_points_sit_lower():
    root = parse(render_line_chart(NEGATIVE, target=Decimal(10)))
    assert root.find(f"{NS}line[@class='kr-chart-zero']") is not None
    ys = [float(c.attrib["cy"]) for c in root.findall(f"{NS}circle")]
    assert ys[0] > ys[1] > ys[2]  # -12.5 is drawn below -3, below 4 (SVG y grows downwards)
    labels = [t.text for t in root.findall(f"{NS}text[@class='kr-chart-axis']")]
    assert any(label.startswith("-") for label in labels)


def test_each_point_has_a_readable_title():
    root = parse(render_line_chart(MANY[:2], unit="家"))
    titles = [c.find(f"{NS}title").text for c in root.findall(f"{NS}circle")]
    assert titles == ["2026-01-28: 5 家", "2026-02-28: 10 家"]  # one date format (ISO) per language


def test_text_is_escaped():
    svg = render_line_chart(MANY, title='<script>alert("x")</script>', unit="<b>", chart_id='a"b')
    root = parse(svg)
    assert "<script>" not in svg
    assert root.find(f"{NS}title").text == '<script>alert("x")</script>'
    assert root.attrib["aria-labelledby"] == "ab-title ab-desc"


def test_a_range_is_drawn_as_a_band():
    root = parse(render_line_chart(MANY, range_low=Decimal(20), range_high=Decimal(30)))
    assert root.find(f"{NS}rect[@class='kr-chart-range']") is not None


@pytest.mark.parametrize("points", [[], MANY[:1], MANY, NEGATIVE], ids=["none", "one", "many", "negative"])
def test_sparkline_is_valid_svg(points):
    root = parse(render_sparkline(points, target=Decimal(60), label="新签客户数"))
    assert root.attrib["width"] == "120"
    assert root.find(f"{NS}title").text.startswith("新签客户数:")
    assert len(root.findall(f"{NS}circle")) == (1 if points else 0)
    assert all(0 <= v <= 120 for v in coordinates(root))


def test_sparkline_with_equal_values_stays_in_the_middle():
    same = [(date(2026, 1, 31), Decimal(5)), (date(2026, 2, 28), Decimal(5))]
    root = parse(render_sparkline(same))
    ys = {float(v) for pair in root.find(f"{NS}polyline").attrib["points"].split() for v in pair.split(",")[1:]}
    assert ys == {16.0}


def test_the_template_tags_render():
    html = Template(
        "{% load goals_charts %}{% sparkline points target=target label='x' %}|{{ value|num }}|{{ score|percent }}"
    ).render(Context({"points": MANY, "target": Decimal(60), "value": Decimal("60.0000"), "score": Decimal("70.83")}))
    svg, value, score = html.split("|")
    parse(svg)
    assert (value, score) == ("60", "70.8")


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("60.0000"), "60"), (Decimal("12.50"), "12.5"), (Decimal("-0.0"), "0"), (Decimal("1E+2"), "100"),
     (Decimal("100000.00"), "100,000"), (None, ""), (3, "3")],
)  # fmt: skip
def test_plain_number(value, text):
    assert plain_number(value) == text


def test_money_and_budget_totals():
    class Plan:
        def __init__(self, amount, currency, status="todo"):
            self.budget_amount, self.budget_currency, self.status = amount, currency, status

    plans = [Plan(Decimal("50000"), "CNY"), Plan(Decimal("20000.5"), "CNY"), Plan(Decimal(300), "USD"),
             Plan(Decimal(999), "CNY", "cancelled"), Plan(None, "CNY")]  # fmt: skip
    assert budget_totals(plans) == [("CNY", Decimal("70000.5")), ("USD", Decimal(300))]
    assert money(Decimal("70000.5")) == "70,000.50"
    assert percent(None) == ""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_axis_dates_read_like_every_other_date_in_the_language(language):
    """Chinese axes read 12-02 like the ISO dates beside them, not Django's 01月31日 next to 12月2日."""
    from django.utils import translation

    points = [(date(2026, 1, 31), Decimal(5)), (date(2026, 12, 2), Decimal(9))]
    with translation.override(language):
        root = parse(render_line_chart(points))
    labels = [text.text for text in root.iter(f"{NS}text")]

    assert "01-31" in labels
    assert "12-02" in labels
