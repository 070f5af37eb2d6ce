from django.urls import path

from atelier.loans import views

app_name = "loans"
urlpatterns = [
    path("", views.pool, name="pool"),
    path("dossier/<int:pk>/preter/", views.lend, name="lend"),
    path("<int:pk>/retour/", views.take_back, name="take_back"),
    path("<int:pk>/conditions.pdf", views.terms_pdf, name="terms_pdf"),
]
