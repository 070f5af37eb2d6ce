"""API helpers: AtelierError answers with its French message and a 4xx status."""

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from atelier.core.errors import AtelierError


def exception_handler(exc, context):
    if isinstance(exc, AtelierError):
        return Response({"detail": exc.message}, status=exc.status_code)
    return drf_exception_handler(exc, context)
