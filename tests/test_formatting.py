"""Vietnamese number, money, percentage and date formatting (pure functions, no database)."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from povertyplan.formatting import (
    AmountError,
    format_date,
    format_number,
    format_percent,
    format_quantity,
    format_vnd,
    parse_quantity,
    parse_vnd,
    rate,
)
from tests.typed_values import QUANTITY_ACCEPTED, QUANTITY_REFUSED, VND_ACCEPTED, VND_REFUSED


@pytest.mark.parametrize(
    "value, places, expected",
    [
        (0, 0, "0"),
        (7, 0, "7"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (1_350_000, 0, "1.350.000"),
        (1_500_000_000, 0, "1.500.000.000"),
        (-1_350_000, 0, "-1.350.000"),
        (Decimal("20.86"), 2, "20,86"),
        (Decimal("1234.5"), 2, "1.234,50"),
        (Decimal("0.005"), 2, "0,01"),
        (Decimal("-0.001"), 2, "0,00"),
        (2.5, 1, "2,5"),
        (None, 0, ""),
    ],
)
def test_format_number_groups_thousands_with_dots_and_uses_a_decimal_comma(value, places, expected):
    assert format_number(value, places=places) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (1_350_000, "1.350.000 đ"),
        (1_500_000, "1.500.000 đ"),
        (0, "0 đ"),
        (950, "950 đ"),
        (None, ""),
    ],
)
def test_format_vnd_writes_dong_after_the_grouped_amount(value, expected):
    assert format_vnd(value) == expected


@pytest.mark.parametrize(
    "part, whole, expected",
    [
        (242, 1160, Decimal("20.86")),  # the plan's commune figure
        (233, 914, Decimal("25.49")),  # its ethnic-minority figure
        (42, 146, Decimal("28.77")),
        (33, 92, Decimal("35.87")),
        (1, 3, Decimal("33.33")),
        (2, 3, Decimal("66.67")),
        (1, 32, Decimal("3.13")),  # 3.125: half-up, where banker's rounding would give 3.12
        (1, 800, Decimal("0.13")),  # 0.125 likewise
        (5, 5, Decimal("100.00")),
        (0, 10, Decimal("0.00")),
        (0, 0, Decimal("0.00")),  # no households: 0, not a division error
        (3, 0, Decimal("0.00")),
    ],
)
def test_rate_is_a_percentage_rounded_half_up_to_two_places(part, whole, expected):
    result = rate(part, whole)
    assert result == expected
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "value, expected",
    [
        (Decimal("20.86"), "20,86%"),
        (Decimal("25.49"), "25,49%"),
        (Decimal("0"), "0,00%"),
        (Decimal("100"), "100,00%"),
        (Decimal("3.125"), "3,13%"),
        (None, ""),
    ],
)
def test_format_percent_uses_a_decimal_comma(value, expected):
    assert format_percent(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (datetime.date(2023, 2, 5), "05/02/2023"),
        (datetime.date(2022, 12, 14), "14/12/2022"),
        (datetime.date(1958, 1, 1), "01/01/1958"),
        (None, ""),
    ],
)
def test_format_date_is_day_month_year_with_leading_zeros(value, expected):
    assert format_date(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (Decimal("2.00"), "2"),
        (Decimal("1.50"), "1,5"),
        (Decimal("1200"), "1.200"),
        (Decimal("0.25"), "0,25"),
        (None, ""),
    ],
)
def test_format_quantity_shows_only_the_decimals_it_needs(value, expected):
    assert format_quantity(value) == expected


@pytest.mark.parametrize(
    "template, context, expected",
    [
        ("{{ v|vnd }}", {"v": 1_350_000}, "1.350.000 đ"),
        ("{{ v|vn_number }}", {"v": 1160}, "1.160"),
        ("{{ v|vn_number:2 }}", {"v": Decimal("20.856")}, "20,86"),
        ("{{ v|percent }}", {"v": Decimal("20.86")}, "20,86%"),
        ("{{ v|vn_date }}", {"v": datetime.date(2023, 2, 5)}, "05/02/2023"),
        ("{{ v|vn_quantity }}", {"v": Decimal("3.00")}, "3"),
    ],
)
def test_template_filters_use_the_same_formatting(template, context, expected):
    rendered = Template("{% load vn_format %}" + template).render(Context(context))
    assert rendered == expected


@pytest.mark.parametrize("typed, amount", VND_ACCEPTED)
def test_parse_vnd_accepts_what_people_type(typed, amount):
    assert parse_vnd(typed) == amount


@pytest.mark.parametrize("typed, why", VND_REFUSED)
def test_parse_vnd_refuses_what_is_ambiguous_or_not_money_and_says_why(typed, why):
    with pytest.raises(AmountError) as refused:
        parse_vnd(typed)
    assert refused.value.code == why


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1,5", "Không rõ '1,5' là bao nhiêu đồng. Gõ số đồng như 1.500.000 hoặc 1,5 triệu."),
        (
            "abc",
            "Không đọc được 'abc' thành số đồng. Gõ số đồng như 1.500.000, 500 nghìn hoặc 2 triệu.",
        ),
        (
            "1,2345 nghìn",
            "'1,2345 nghìn' không ra số đồng chẵn. Gõ số đồng như 1.500.000 hoặc 1,5 triệu.",
        ),
        ("-100", "Giá trị không được âm. Gõ số đồng như 1.500.000 hoặc 1,5 triệu."),
    ],
)
def test_a_refused_amount_says_in_vietnamese_how_to_type_it(typed, message):
    with pytest.raises(AmountError) as refused:
        parse_vnd(typed)
    assert refused.value.message == message


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("typed, why", VND_REFUSED)
def test_no_refusal_of_an_amount_speaks_of_json(typed, why, language):
    with pytest.raises(AmountError) as refused, translation.override(language):
        parse_vnd(typed)
    assert "json" not in refused.value.message.lower()


@pytest.mark.parametrize("typed, quantity", QUANTITY_ACCEPTED)
def test_parse_quantity_reads_vietnamese_typing(typed, quantity):
    assert parse_quantity(typed) == quantity


@pytest.mark.parametrize("typed", QUANTITY_REFUSED)
def test_parse_quantity_refuses_what_is_not_a_number(typed):
    with pytest.raises(ValueError):
        parse_quantity(typed)
