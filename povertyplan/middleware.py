from django.core.exceptions import BadRequest


class VietnameseFirstMiddleware:
    """Start every visitor in Vietnamese, whatever language their browser asks for.

    Many officials' phones are set to English; the commune works in Vietnamese. The language
    switch (Django's set_language cookie) still chooses English for those who want it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class NulInQueryMiddleware:
    """Answer 400 to a query string holding a NUL character.

    No link or form of ours sends one, and PostgreSQL refuses NUL in text, so a value like
    "?q=%00" would otherwise reach the database and fail there as a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL character in the query string")
        return self.get_response(request)
