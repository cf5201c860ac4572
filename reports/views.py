from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from reports import selectors


def _year(value: str | None, years: list[int]) -> int | None:
    """The year asked for, if it is one; else the latest review year (None when there is none)."""
    if value and value.isdigit() and 1990 <= int(value) <= 2100:
        return int(value)
    return years[0] if years else None


@login_required
def village_statistics(request):
    communes = selectors.statistics_communes_for_user(user=request.user)
    commune = selectors.statistics_commune_pick(communes, request.GET.get("commune"))
    years = selectors.review_years(commune=commune) if commune else []
    year = _year(request.GET.get("year"), years)
    statistics = selectors.village_statistics(commune=commune, year=year) if commune and year else None
    return render(
        request,
        "reports/statistics.html",
        {
            "communes": communes,
            "commune": commune,
            "years": sorted({*years, year} - {None}, reverse=True),
            "year": year,
            "has_review": year in years,
            "statistics": statistics,
        },
    )
