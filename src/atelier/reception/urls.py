from django.urls import path

from atelier.reception import views

app_name = "reception"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("ticket/", views.ticket_take, name="take"),
    path("guichet/", views.counter_choose, name="counter"),
    path("appeler/", views.call_next, name="call_next"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/hors-tour/", views.call_ticket, name="call_ticket"),
    path("tickets/<int:pk>/client/", views.ticket_customer, name="ticket_customer"),
    path("tickets/<int:pk>/nouveau-client/", views.ticket_new_customer, name="ticket_new_customer"),
    path("tickets/<int:pk>/<slug:action>/", views.ticket_close, name="ticket_close"),
    path("affichage/<str:code>/", views.display, name="display"),
    path("affichage/<str:code>/tableau/", views.display_board, name="display_board"),
    path("mecontentements/", views.complaint_list, name="complaints"),
    path("mecontentements/nouveau/", views.complaint_create, name="complaint_create"),
    path("mecontentements/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("mesures/", views.measures, name="measures"),
]
