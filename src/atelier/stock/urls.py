from django.urls import path

from atelier.stock import views

app_name = "stock"
urlpatterns = [
    path("", views.stock_index, name="index"),
    path("mouvements/", views.move_list, name="moves"),
    path("mouvements/nouveau/", views.move_create, name="move_create"),
    path("transfert/", views.transfer_create, name="transfer"),
    path("pieces/", views.part_list, name="parts"),
    path("pieces/nouvelle/", views.part_create, name="part_create"),
    path("pieces/<int:pk>/", views.part_detail, name="part"),
    path("pieces/<int:pk>/valider/", views.part_validate, name="part_validate"),
    path("pieces/<int:pk>/fournisseur/", views.part_supplier, name="part_supplier"),
    path("pieces/<int:pk>/anomalie/", views.part_anomaly, name="part_anomaly"),
    path("anomalies/<int:pk>/traiter/", views.anomaly_resolve, name="anomaly_resolve"),
    path("a-commander/", views.to_order, name="to_order"),
    path("commandes/", views.supplier_order_list, name="orders"),
    path("commandes/<int:pk>/", views.supplier_order_detail, name="order"),
    path("retours/", views.supplier_return_list, name="returns"),
    path("retours/<int:pk>/", views.supplier_return_detail, name="return"),
    path("ordre/<int:pk>/", views.repair_order_stock, name="repair_order"),
    path("ordre/<int:pk>/preparation/", views.pick_list, name="pick_list"),
    path("ordre/<int:pk>/<slug:action>/", views.repair_order_action, name="repair_order_action"),
    path("inventaires/", views.inventory_list, name="inventories"),
    path("inventaires/<int:pk>/", views.inventory_detail, name="inventory"),
    path("import/", views.import_file, name="import"),
    path("export/<slug:what>.<slug:fmt>", views.export_file, name="export"),
]
