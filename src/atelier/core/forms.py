"""Form helpers shared by every app."""

from django.core.exceptions import ValidationError

from atelier.core.errors import AtelierError


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
