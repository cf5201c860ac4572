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
