"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError

from atelier.core.errors import AtelierError


class DateInput(forms.DateInput):
    """A browser date picker; <input type=date> only shows an ISO value (YYYY-MM-DD), the locale's format
    (dd/mm/yyyy in French) would leave it empty. Every form's date field uses this one."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker; <input type=datetime-local> only shows YYYY-MM-DDTHH:MM."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def call_service(form, service, /, **kwargs):
    """Run a writing service for a form; on a refusal put the French message on the form and return None.

    Services raise ValidationError (per field, from full_clean) or AtelierError (business rules): both end
    up next to the field they name, or at the top of the form, so the user sees why and loses nothing typed.
    """
    try:
        return service(**kwargs)
    except ValidationError as exc:
        form.refusal_status = 400
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    except AtelierError as exc:
        form.refusal_status = exc.status_code  # 403 role, 409 state: the page is shown again with it
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return None
