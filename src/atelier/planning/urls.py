from django.urls import path

from atelier.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.day_view, name="day"),
    path("optimiser/", views.optimise, name="optimise"),
    path("optimiser-semaine/", views.optimise_week, name="optimise_week"),
    path("valider/", views.validate, name="validate"),
    path("valider-semaine/", views.validate_week, name="validate_week"),
    path("epingler/", views.pin, name="pin"),
    path("techniciens/", views.technician_list, name="technicians"),
    path("techniciens/<int:pk>/", views.technician_edit, name="technician"),
    path("techniciens/<int:pk>/absence/", views.day_off_add, name="day_off"),
    path("visites/", views.visit_list, name="visits"),
    path("visites/<int:pk>/", views.visit_edit, name="visit"),
    path("atelier/", views.workshop, name="workshop"),
    path("depots/", views.dropoffs, name="dropoffs"),
    path("depots/<int:pk>/annuler/", views.dropoff_cancel, name="dropoff_cancel"),
    path("ma-journee/", views.my_day, name="my_day"),
    path("feuille/<int:pk>/<str:day>/", views.day_sheet, name="sheet"),
    path("calendrier/<str:token>.ics", views.ical_feed, name="ical"),
]
