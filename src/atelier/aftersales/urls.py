from django.urls import path

from atelier.aftersales import views, views_payers

app_name = "aftersales"
urlpatterns = [
    path("reclamations/", views.claim_list, name="claims"),
    path("reclamations/nouvelle/", views.claim_create, name="claim_create"),
    path("reclamations/<int:pk>/", views.claim_detail, name="claim"),
    path("reclamations/<int:pk>/lettre/", views.claim_letter, name="claim_letter"),
    path("appareils/<int:pk>/", views.appliance_covers, name="appliance"),
    path("dossiers/<int:pk>/", views.case_covers, name="case"),
    path("clients/<int:pk>/", views.customer_covers, name="customer"),
    path("dossiers/<int:pk>/payeurs/<slug:action>/", views_payers.case_payers, name="case_payers"),
    path("entretiens/", views.maintenance_due, name="maintenance"),
    path("payeurs/", views_payers.payer_list, name="payers"),
    path("payeurs/demandes/", views_payers.payer_claims, name="payer_claims"),
    path("payeurs/demandes/<int:pk>/", views_payers.payer_claim, name="payer_claim"),
    path("payeurs/demandes/<int:pk>/dossier.pdf", views_payers.payer_claim_pdf, name="payer_claim_pdf"),
]
