from django.urls import path

from atelier.messaging import views

app_name = "messaging"
urlpatterns = [
    path("dossier/<int:pk>/", views.case_thread, name="case_thread"),
    path("dossier/<int:pk>/repondre/", views.case_reply, name="reply"),
    path("<int:pk>/renvoyer/", views.message_resend, name="resend"),
]
