"""The public tracking page, reached without an account by an unguessable link (mounted at /suivi/)."""

from django.urls import path

from atelier.billing import views

app_name = "billing_public"
urlpatterns = [
    path("<str:token>/", views.tracking, name="tracking"),
    path("<str:token>/devis/", views.tracking_quote, name="quote"),
    path("<str:token>/devis/accepter/", views.tracking_accept, name="quote_accept"),
    path("<str:token>/devis/refuser/", views.tracking_refuse, name="quote_refuse"),
    path("<str:token>/facture/<int:pk>/", views.tracking_invoice, name="invoice"),
]
