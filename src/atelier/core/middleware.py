"""Core middleware: the chosen language, oversized requests refused unread, addresses holding a NUL refused, idle
sessions ended, AtelierError → French answer."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from atelier.core.errors import AtelierError


class ChosenLanguageMiddleware:
    """French unless the user chose another language with the selector (Django's set_language view, which
    keeps the choice in the language cookie). Unlike LocaleMiddleware it does not read the browser's
    Accept-Language: a shop's workstation set up in English still opens in French. The language is active only
    while the request is handled (translation.override), so nothing leaks to the next request of the thread."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class MaxRequestSizeMiddleware:
    """Refuse (413, in French) a request whose Content-Length exceeds ATELIER_MAX_UPLOAD_MB, before anything
    reads its body. Sits right after SecurityMiddleware; Django's own limits (DATA_UPLOAD_MAX_MEMORY_SIZE…)
    apply to what is let through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit_mb = settings.ATELIER_MAX_UPLOAD_MB
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit_mb * 1024 * 1024:
            text = _("Envoi trop volumineux : %(limit)d Mo au plus.") % {"limit": limit_mb}
            return self._refuse(request, text, 413)
        return self.get_response(request)

    @staticmethod
    def _refuse(request, text, status):
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": text}, status=status)
        else:
            response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
        response["Connection"] = "close"  # an unread body must not be taken for the next request
        return response


class NulInQueryMiddleware:
    """Refuse (400, in French) an address whose query holds a NUL character (« ?q=a%00 »). No value of Atelier may
    contain one and PostgreSQL refuses it in any text, so every filter or search that passed it on was a 500
    (found on a dozen pages: planning, stock orders, refurbishment, customer service, the customer search).
    One check here rather than one per parameter; in a body, Django's forms and DRF's fields already refuse it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            text = _("Adresse refusée : elle contient un caractère nul.")
            return MaxRequestSizeMiddleware._refuse(request, text, 400)
        return self.get_response(request)


class IdleLogoutMiddleware:
    """Log out a user idle for longer than the smallest idle time of their sites (Site.idle_logout_minutes),
    with a French message on the login page. The clock is written at login (core.accounts) and refreshed at
    most once a minute, so a page view is not a session write."""

    REFRESH_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            from atelier.core.accounts import SESSION_IDLE_MINUTES, SESSION_LAST_SEEN, mark_seen

            now = int(timezone.now().timestamp())
            last_seen = request.session.get(SESSION_LAST_SEEN)
            minutes = request.session.get(SESSION_IDLE_MINUTES)
            if last_seen is None or minutes is None:
                mark_seen(request, user)
            elif now - last_seen > minutes * 60:
                logout(request)
                messages.warning(
                    request,
                    _("Vous avez été déconnecté après %(minutes)d minutes d'inactivité : reconnectez-vous.")
                    % {"minutes": minutes},
                )
            elif now - last_seen >= self.REFRESH_SECONDS and not _is_part_of_a_page(request):
                mark_seen(request, user)
        return self.get_response(request)


def _is_part_of_a_page(request) -> bool:
    """An htmx GET that fills part of a page already shown (the dossier's sections load by the dozen at once):
    the page's own request counted the activity; the parts do not write the session beside each other."""
    return request.method == "GET" and request.headers.get("HX-Request") == "true"


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
