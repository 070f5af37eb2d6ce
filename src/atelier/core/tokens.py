"""API tokens: created and revoked by their owner; only a hash of the key is kept."""

import datetime
import hashlib
import secrets

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.errors import AtelierError
from atelier.core.models import ApiToken, User

DEFAULT_DAYS = 90
MAX_DAYS = 365
PREFIX_LENGTH = 8
# last_used_at is written at most once a minute per token: an API client's every request is not a write.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def hash_key(key: str) -> str:
    """SHA-256 of a key: enough for 256 random bits (a slow password hash buys nothing here)."""
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user: User, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token of `user` valid `days` days (1 to 365); returns it with its key, which is never stored."""
    if not 1 <= days <= MAX_DAYS:
        raise AtelierError(_("Un jeton vaut de 1 à 365 jours."), field="days")
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return token, key


def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_for_key(key: str) -> ApiToken | None:
    """The token of a key (revoked or expired included: the caller says why it is refused), or None."""
    return ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()


def token_used(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
