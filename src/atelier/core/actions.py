"""How a screen calls a service: the one action mechanism of Atelier.

An `Action` is a form, a service and what the user is told. `run_action` binds the form to the POST, calls
the service with the object and the form's cleaned data under one transaction, and then either
- shows the success message and redirects (to `next` or the page's default), or
- shows the page again with the same form, its French error next to the field it names (or at the top), and
  the refusal's status (400 for bad input, 403 for a role, 409 for a state), nothing written, nothing lost.

Errors reach the user this one way: services raise `AtelierError` or `ValidationError`, `call_service` puts
them on the form. An error escaping a view without a form is turned into a message by
`core.middleware.AtelierErrorMiddleware`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect as redirect_to

from atelier.core.forms import call_service


@dataclass(frozen=True)
class Action:
    """One thing a screen does to an object.

    form:      the form class, or a callable(request, obj) returning the bound-form keyword arguments via
               `form_kwargs`; the POST is always bound to it.
    service:   the writing service, called with `target=obj`, `actor=request.user` and the cleaned data.
    success:   the message (lazy string, may use %(result)s), or callable(result) returning it; None: none.
    target:    the service's keyword for the object ("case", "quote", "tool", "order"…); None for a page with
               no object of its own (a new tool, a closure): the service gets no object.
    next:      callable(request, obj, result) → URL or response after success; default: the page's own.
    form_kwargs: callable(request, obj) → extra keyword arguments of the form (choices of the user's sites…).
    data:      callable(request, obj, form) → the service's keyword arguments (default: form.cleaned_data,
               or form.service_kwargs() when the form defines it).
    form_name: the form shown again on failure when it is not the action's name (two actions, one form).
    plain_ids: a page with one form keeps Django's plain ids (id_serial…) instead of id_<action>_serial.
    actor:     False for a service that takes no actor (the customer's own decision through a private link).
    """

    form: type
    service: Callable[..., Any]
    success: Any = None
    target: str | None = "case"
    next: Callable[[HttpRequest, Any, Any], Any] | None = None
    form_kwargs: Callable[[HttpRequest, Any], dict] | None = None
    data: Callable[[HttpRequest, Any, Any], dict] | None = None
    form_name: str | None = None
    plain_ids: bool = False
    actor: bool = True

    def bind(self, request: HttpRequest, obj, name: str):
        kwargs = self.form_kwargs(request, obj) if self.form_kwargs else {}
        auto_id = "id_%s" if self.plain_ids else f"id_{self.form_name or name}_%s"
        return self.form(request.POST, request.FILES, auto_id=auto_id, **kwargs)

    def service_call(self, request: HttpRequest, obj, form) -> dict:
        """The service's keyword arguments: the object, the actor, then the form's data."""
        kwargs = {self.target: obj} if self.target else {}
        if self.actor:
            kwargs["actor"] = request.user
        return {**kwargs, **self.service_data(request, obj, form)}

    def service_data(self, request: HttpRequest, obj, form) -> dict:
        if self.data:
            return self.data(request, obj, form)
        if hasattr(form, "service_kwargs"):
            return form.service_kwargs()
        return dict(form.cleaned_data)

    def message(self, result) -> str | None:
        if self.success is None:
            return None
        if callable(self.success):
            return self.success(result)
        return str(self.success)


def refusal_status(form) -> int:
    """The HTTP status of a refused form: the service's (403 role, 409 state) or 400 for bad input."""
    return getattr(form, "refusal_status", 400)


def run_action(
    request: HttpRequest,
    obj,
    name: str,
    actions: Mapping[str, Action],
    *,
    show_again: Callable[..., HttpResponse],
    done: Callable[[Any], Any],
) -> HttpResponse:
    """Run `actions[name]` on obj for a POST (unknown name → 404).

    show_again(request, obj, failed=<form name>, failed_form=<form>, status=<int>) renders the page with the
    form and its errors; done(obj) is where a success goes when the action has no `next` (URL or response).
    """
    action = actions.get(name)
    if action is None:
        raise Http404
    form = action.bind(request, obj, name)
    result = None
    if form.is_valid():
        result = call_service(form, action.service, **action.service_call(request, obj, form))
    if form.errors:  # refused by the form or by the service: nothing was written
        if hasattr(obj, "refresh_from_db") and obj.pk:
            obj.refresh_from_db()
        return show_again(
            request, obj, failed=action.form_name or name, failed_form=form, status=refusal_status(form)
        )
    text = action.message(result)
    if text:
        messages.success(request, text)
    target = action.next(request, obj, result) if action.next else done(obj)
    return target if isinstance(target, HttpResponse) else redirect_to(target)
