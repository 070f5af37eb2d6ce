"""The customer's claim from the public tracking page (mounted under /suivi/, public by token)."""

from django.urls import path

from atelier.aftersales import views

app_name = "aftersales_public"
urlpatterns = [
    path("<str:token>/reclamation/", views.tracking_claim, name="claim"),
]
