"""API helpers: French errors, token authentication and throttles shared by every app's API."""

from django.core.cache import caches
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from atelier.core.errors import AtelierError


def exception_handler(exc, context):
    # imported here: rest_framework.views reads the settings that name this module's classes
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, AtelierError):
        return Response({"detail": exc.message}, status=exc.status_code)
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait) + 1 if exc.wait is not None else None
        exc = exceptions.Throttled(
            wait=exc.wait,
            detail=_("Trop de requêtes : réessayez dans %(seconds)d secondes.") % {"seconds": wait}
            if wait
            else _("Trop de requêtes : réessayez dans un moment."),
        )
    response = drf_exception_handler(exc, context)
    if isinstance(exc, TokenRefused) and response is not None:
        # 401 even though session authentication comes first (DRF would answer 403 without its header)
        response.status_code = 401
        response["WWW-Authenticate"] = 'Token realm="api"'
    return response


class TokenRefused(exceptions.AuthenticationFailed):
    """A token was sent and is not usable (unknown, revoked, expired, bad header): 401."""


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against core.ApiToken (hashed, expiring, revocable): a wrong, revoked or
    expired key answers 401 with a French reason. Replaces rest_framework.authtoken's single eternal token."""

    def authenticate_credentials(self, key):
        from atelier.core.tokens import token_for_key, token_used

        token = token_for_key(key)
        if token is None:
            raise TokenRefused(_("Jeton d'API inconnu."))
        if token.revoked_at is not None:
            raise TokenRefused(_("Ce jeton d'API a été révoqué."))
        if token.is_expired:
            raise TokenRefused(_("Ce jeton d'API a expiré : créez-en un autre dans « Mes jetons d'API »."))
        if not token.user.is_active:
            raise TokenRefused(_("Ce compte est désactivé."))
        token_used(token)
        return token.user, token

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed as exc:
            # Refused keys count against the anonymous rate of the address: guessing keys is throttled
            # (permissions run before throttles in DRF, so AnonThrottle alone would never see these requests).
            guard = RefusedTokenThrottle()
            if not guard.allow_request(request, None):
                raise exceptions.Throttled(wait=guard.wait()) from None
            if isinstance(exc, TokenRefused):
                raise
            raise TokenRefused(exc.detail) from None  # DRF's own refusals of a malformed header


class _SharedCacheThrottle:
    """Counters in the "throttle" cache (Redis in production: every process counts the same requests)."""

    @property
    def cache(self):
        return caches["throttle"]


class UserThrottle(_SharedCacheThrottle, UserRateThrottle):
    pass


class AnonThrottle(_SharedCacheThrottle, AnonRateThrottle):
    pass


class RefusedTokenThrottle(AnonThrottle):
    """The anonymous counter of an address, for a refused token (request.user is not known yet)."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
