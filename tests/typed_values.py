"""What people type in the support form's value and quantity fields, and what it means.

The one table of cases for povertyplan.formatting.parse_vnd and parse_quantity. The function is
tested on every row (tests/test_formatting.py), and so are the page's form and the API
(tests/assignments/test_views.py, tests/api/test_support_actions.py), which send the text as
typed: the browser holds no parser of its own, so there is no second reading to disagree.

Refused rows name the reason (povertyplan.formatting.AmountError.code); the Vietnamese message
for each reason says how to type the amount.
"""

from decimal import Decimal

# typed → đồng
VND_ACCEPTED = [
    ("1.500.000", 1_500_000),
    ("1500000", 1_500_000),
    ("1 500 000", 1_500_000),
    ("1\u00a0500\u00a0000", 1_500_000),  # a no-break space, as some keyboards and copied text have
    ("1.500.000 đ", 1_500_000),
    ("1.500.000đ", 1_500_000),
    ("1.500.000 đồng", 1_500_000),
    ("1.500.000 VND", 1_500_000),
    ("1.500.000 VNĐ", 1_500_000),
    (" 250.000đ ", 250_000),
    ("0", 0),
    ("999", 999),
    ("1.000", 1_000),
    ("2tr", 2_000_000),
    ("2 tr", 2_000_000),
    ("2TR", 2_000_000),
    ("2 triệu", 2_000_000),
    ("2 Triệu", 2_000_000),
    ("2 trie\u0323\u0302u", 2_000_000),  # "triệu" typed decomposed (NFD)
    ("2 triệu đồng", 2_000_000),
    ("2trđ", 2_000_000),
    ("1,5 triệu", 1_500_000),
    ("1,5tr", 1_500_000),
    ("0,5 triệu", 500_000),
    ("1,25 triệu", 1_250_000),
    ("12 triệu", 12_000_000),
    ("1.200 triệu", 1_200_000_000),
    ("500k", 500_000),
    ("500K", 500_000),
    ("500 k", 500_000),
    ("500 nghìn", 500_000),
    ("500 ngàn", 500_000),
    ("500 nghìn đồng", 500_000),
    ("1,5k", 1_500),
    ("1.500k", 1_500_000),
    (1_500_000, 1_500_000),  # a JSON integer from an older client
    (0, 0),
]

# typed → why it is refused
VND_REFUSED = [
    ("1,5", "ambiguous"),  # 1,5 đồng? 15? 1.500.000?
    ("1.5", "ambiguous"),
    ("1,500,000", "ambiguous"),
    ("1.500.000,50", "ambiguous"),
    ("15.00.000", "ambiguous"),
    ("1500.000", "ambiguous"),  # the first group has more than three digits
    ("1.5000", "ambiguous"),
    ("1.5 triệu", "ambiguous"),  # the dot groups thousands; a decimal takes a comma
    ("1,5,5 triệu", "ambiguous"),
    ("1.", "ambiguous"),
    (".5", "ambiguous"),
    ("1,2345 nghìn", "fraction"),  # 1.234,5 đồng
    ("0,0000005 triệu", "fraction"),
    ("-100", "negative"),
    ("- 2 triệu", "negative"),
    ("\u2212100", "negative"),  # the minus sign
    (-5, "negative"),
    ("abc", "not_amount"),
    ("một triệu", "not_amount"),
    ("2tr5", "not_amount"),
    ("１２", "not_amount"),  # full-width digits
    ("triệu", "not_amount"),
    ("đ", "not_amount"),
    ("500 k k", "not_amount"),
    ("1e6", "not_amount"),
    ("", "not_amount"),
    ("  ", "not_amount"),
    (None, "not_amount"),
    (True, "not_amount"),
    (1.5, "not_amount"),
]

# typed → quantity
QUANTITY_ACCEPTED = [
    ("1,5", Decimal("1.5")),
    ("1.500", Decimal("1500")),
    ("1.500,5", Decimal("1500.5")),
    ("2.5", Decimal("2.5")),
    ("1.5000", Decimal("1.5")),  # a dot then four digits is a decimal point, not a thousands group
    ("1.500.000", Decimal("1500000")),
    ("2", Decimal("2")),
    (" 12 ", Decimal("12")),
    ("0", Decimal("0")),
    ("", None),
]

QUANTITY_REFUSED = ["hai", "1,5,5", "NaN", "Infinity", "1..5", "2 kg", "abc"]
