from django.urls import path

from atelier.aftersales import views

app_name = "aftersales"
urlpatterns = [
    path("reclamations/", views.claim_list, name="claims"),
    path("reclamations/nouvelle/", views.claim_create, name="claim_create"),
    path("reclamations/<int:pk>/", views.claim_detail, name="claim"),
    path("reclamations/<int:pk>/lettre/", views.claim_letter, name="claim_letter"),
    path("appareils/<int:pk>/", views.appliance_covers, name="appliance"),
    path("dossiers/<int:pk>/", views.case_covers, name="case"),
    path("clients/<int:pk>/", views.customer_covers, name="customer"),
]
