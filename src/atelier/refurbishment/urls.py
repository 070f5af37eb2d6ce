from django.urls import path

from atelier.refurbishment import views, views_dismantling, views_procedures

app_name = "refurbishment"
urlpatterns = [
    path("", views.index, name="index"),
    path("entree/", views.intake, name="intake"),
    path("appareils/<int:pk>/", views.appliance_detail, name="appliance"),
    path("appareils/<int:pk>/tri/", views.triage, name="triage"),
    path("lots/", views.lot_list, name="lots"),
    path("lots/<int:pk>/", views.lot_detail, name="lot"),
    path("mouvements/", views.move_list, name="moves"),
    path("abandons/", views.abandons, name="abandons"),
    path("inventaires/", views.count_list, name="counts"),
    path("inventaires/<int:pk>/", views.count_detail, name="count"),
    path("controles/", views.checklists, name="checklists"),
    path("appareils/<int:pk>/demontage/", views_dismantling.dismantle, name="dismantle"),
    path("valeur/", views_dismantling.value_page, name="value"),
    path("valeur/export.csv", views_dismantling.value_csv, name="value_csv"),
    # refurbishment procedures and resale (issue 20, points 3 and 5)
    path("appareils/<int:pk>/reconditionnement/", views_procedures.refurbishment_page, name="refurbish"),
    path("reconditionnements/<int:pk>/", views_procedures.refurbishment_detail, name="refurbishment_detail"),
    path("procedures/", views_procedures.procedures, name="procedures"),
]
