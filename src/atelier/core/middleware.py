"""Turn an AtelierError escaping a view into a French message instead of a 500."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse

from atelier.core.errors import AtelierError


class AtelierErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, AtelierError):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": exception.message}, status=exception.status_code)
        if getattr(request, "htmx", False):
            return HttpResponse(exception.message, status=exception.status_code)
        messages.error(request, exception.message)
        back = request.headers.get("referer") or "/"
        return (
            HttpResponseRedirect(back)
            if request.method == "POST"
            else HttpResponse(exception.message, status=exception.status_code)
        )
