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
    return drf_exception_handler(exc, context)


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against core.ApiToken (hashed, expiring, revocable): a wrong, revoked or
    expired key answers 401 with a French reason. Replaces rest_framework.authtoken's single eternal token."""

    def authenticate_credentials(self, key):
        from atelier.core.tokens import token_for_key, token_used

        token = token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Jeton d'API inconnu."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Ce jeton d'API a été révoqué."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(
                _("Ce jeton d'API a expiré : créez-en un autre dans « Mes jetons d'API ».")
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Ce compte est désactivé."))
        token_used(token)
        return token.user, token


class _SharedCacheThrottle:
    """Counters in the "throttle" cache (Redis in production: every process counts the same requests)."""

    @property
    def cache(self):
        return caches["throttle"]


class UserThrottle(_SharedCacheThrottle, UserRateThrottle):
    pass


class AnonThrottle(_SharedCacheThrottle, AnonRateThrottle):
    pass
