from django.urls import path

from atelier.billing import views

app_name = "billing"
urlpatterns = [
    path("", views.accounting, name="accounting"),
    path("clotures/", views.closure_create, name="closure_create"),
    path("clotures/<int:pk>/pdf/", views.closure_pdf, name="closure_pdf"),
    path("debut-facturation/", views.billing_start, name="billing_start"),
    path("bonus/<int:pk>/<slug:state>/", views.bonus_claim_mark, name="bonus_claim_mark"),
    path("remontees-fabricants/", views.incidents_report, name="incidents"),
    path("dossier/<int:pk>/", views.case_billing, name="case"),
    path("dossier/<int:pk>/action/<slug:action>/", views.case_action, name="action"),
    path("dossier/<int:pk>/proposition/<int:suggestion_pk>/", views.offer_answer, name="offer"),
    path("dossier/<int:pk>/prevenir/", views.notify, name="notify"),
    path("dossier/<int:pk>/lien-de-suivi/", views.tracking_send, name="tracking_send"),
    path("dossier/<int:pk>/relance/", views.payment_reminder, name="reminder"),
    path("dossier/<int:pk>/conseils/", views.advice_pdf, name="advice_pdf"),
    path("dossier/<int:pk>/conseils/envoyer/", views.advice_send, name="advice_send"),
    path("facture/<int:pk>/", views.invoice_detail, name="invoice"),
    path("facture/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("facture/<int:pk>/factur-x/", views.invoice_facturx, name="invoice_facturx"),
    path("facture/<int:pk>/avoir/", views.credit_note, name="credit_note"),
    path("paiement/<int:pk>/recu/", views.receipt, name="receipt"),
]
