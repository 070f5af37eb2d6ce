from django.urls import path

from atelier.disputes import views

app_name = "disputes"
urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("nouveau/", views.dispute_create, name="create"),
    path("<int:pk>/", views.dispute_detail, name="detail"),
    path("<int:pk>/lettres/<int:letter>/", views.letter_pdf, name="letter"),
    path("<int:pk>/preuves/", views.dispute_pack, name="pack"),
    path("dossiers/<int:pk>/", views.case_disputes, name="case"),
    path("dossiers/<int:pk>/preuves/", views.case_pack, name="case_pack"),
    path("clients/<int:pk>/", views.customer_disputes, name="customer"),
]
