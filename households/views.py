from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from households import selectors
from povertyplan.text import vietnamese_sort_key

PAGE_SIZE = 50


@login_required
def household_list(request):
    query = request.GET.get("q", "").strip()
    villages = sorted(
        selectors.village_list_for_user(user=request.user), key=lambda v: vietnamese_sort_key(v.name)
    )
    # An unknown or out-of-scope village id is ignored rather than an error: the filter then shows "all".
    village = next((v for v in villages if str(v.pk) == request.GET.get("village", "")), None)
    households = selectors.household_list_filtered(user=request.user, query=query, village=village)
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "households/household_list.html",
        {
            "page": page,
            "query": query,
            "villages": villages,
            "village": village,
            "show_commune": len({v.commune_id for v in villages}) > 1,
        },
    )


@login_required
def household_detail(request, pk):
    detail = selectors.household_detail_for_user(user=request.user, pk=pk)
    return render(
        request, "households/household_detail.html", {"detail": detail, "household": detail.household}
    )
