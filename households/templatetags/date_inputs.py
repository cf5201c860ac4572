"""The value of an <input type="date">: yyyy-mm-dd from a date, or the text as it was sent back."""

import datetime

from django import template

register = template.Library()


@register.filter
def date_input(value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)
