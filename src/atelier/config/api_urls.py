"""API routes of every app, under /api/."""

from django.urls import include, path

urlpatterns: list = []
