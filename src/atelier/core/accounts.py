"""Account edges: login throttling (django-axes hooks), idle logout bookkeeping, « Mes jetons d'API »."""

import ipaddress

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in
from django.db.models import Min
from django.dispatch import receiver
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from atelier.core.actions import Action, run_action
from atelier.core.models import ApiToken
from atelier.core.tokens import DEFAULT_DAYS, MAX_DAYS, token_create, token_revoke

DEFAULT_IDLE_MINUTES = 30


# ---- login throttling (settings.AXES_*) -------------------------------------------------------------------


def _valid_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's address for login throttling. Behind our reverse proxy (ATELIER_BEHIND_PROXY) it is the last
    X-Forwarded-For entry, the one the proxy appended (entries left of it come from the client and may be
    forged); otherwise REMOTE_ADDR."""
    if settings.ATELIER_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address := _valid_ip(forwarded[-1]):
            return address
    return _valid_ip(request.META.get("REMOTE_ADDR"))


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("Trop d'essais pour ce compte depuis cet appareil : réessayez dans %(minutes)d minutes.") % {
        "minutes": minutes
    }


def locked_out(request, response=None, credentials=None):
    """django-axes' answer to a locked (account, address) pair: the login page again, with why, in 429."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username[:150]})
    return render(
        request,
        "registration/login.html",
        {"form": form, "lockout": lockout_message(), "next": request.POST.get("next", "")},
        status=429,
    )


# ---- idle logout (core.middleware.IdleLogoutMiddleware) ---------------------------------------------------

SESSION_LAST_SEEN = "atelier_last_seen"
SESSION_IDLE_MINUTES = "atelier_idle_minutes"


def idle_minutes_of(user) -> int:
    """The idle time after which a user's session ends: the smallest of their sites' settings."""
    value = user.visible_sites().aggregate(m=Min("idle_logout_minutes"))["m"]
    return value or DEFAULT_IDLE_MINUTES


def mark_seen(request, user) -> None:
    request.session[SESSION_LAST_SEEN] = int(timezone.now().timestamp())
    request.session[SESSION_IDLE_MINUTES] = idle_minutes_of(user)


@receiver(user_logged_in, dispatch_uid="atelier-idle-logout-start")
def _start_idle_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_seen(request, user)


# ---- « Mes jetons d'API » ---------------------------------------------------------------------------------


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nom"),
        max_length=80,
        help_text=gettext_lazy("Pour le reconnaître : l'outil ou le script qui l'utilise."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valable (jours)"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        help_text=gettext_lazy("90 jours par défaut, 365 au plus."),
    )


def _tokens_page(request, _obj=None, *, failed=None, failed_form=None, status=200, created=None, key=None):
    return render(
        request,
        "core/api_tokens.html",
        {
            "form": failed_form or ApiTokenForm(auto_id="id_%s"),
            "tokens": ApiToken.objects.filter(user=request.user, revoked_at__isnull=True),
            "created": created,
            "key": key,
            "nav": "account",
        },
        status=status,
    )


TOKEN_ACTIONS = {
    "create": Action(
        form=ApiTokenForm,
        service=token_create,
        target=None,
        actor=False,  # the owner is the user himself, passed as `user`
        data=lambda request, _obj, form: {"user": request.user, **form.cleaned_data},
        # the key is shown on this answer only: never stored, never put in a message or a redirect
        next=lambda request, _obj, result: _tokens_page(request, created=result[0], key=result[1]),
        plain_ids=True,
    )
}


@never_cache
@login_required
def api_tokens(request):
    """The user's tokens; a POST creates one and shows its key once."""
    if request.method != "POST":
        return _tokens_page(request)
    return run_action(request, None, "create", TOKEN_ACTIONS, show_again=_tokens_page, done=None)


@require_POST
@login_required
def api_token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    token_revoke(token=token)
    messages.success(request, _("Le jeton « %(name)s » est révoqué.") % {"name": token.name})
    return redirect("api_tokens")
