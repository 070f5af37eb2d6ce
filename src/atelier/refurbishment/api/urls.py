"""API routes of the second life, under /api/refurbishment/; config/api_urls.py includes `router.registry`."""

from rest_framework.routers import DefaultRouter

from atelier.refurbishment.api import procedures, views, views_dismantling

router = DefaultRouter()
router.register("refurbishment/appliances", views.ApplianceViewSet, basename="refurbishment-appliance")
router.register("refurbishment/moves", views.MoveViewSet, basename="refurbishment-move")
router.register("refurbishment/lots", views.LotViewSet, basename="refurbishment-lot")
router.register("refurbishment/stock", views.StockSummaryViewSet, basename="refurbishment-stock")
router.register("refurbishment/abandon-letters", views.AbandonLetterViewSet, basename="refurbishment-letter")
router.register("refurbishment/checklists", views.ChecklistViewSet, basename="refurbishment-checklist")
router.register("refurbishment/counts", views.CountViewSet, basename="refurbishment-count")
router.register(
    "refurbishment/sub-assemblies", views_dismantling.SubAssemblyViewSet, basename="refurbishment-subassembly"
)
router.register(
    "refurbishment/dismantling", views_dismantling.DismantlingViewSet, basename="refurbishment-dismantling"
)
router.register(
    "refurbishment/recovered-parts",
    views_dismantling.RecoveredPartViewSet,
    basename="refurbishment-recovered",
)
router.register("refurbishment/value", views_dismantling.ValueViewSet, basename="refurbishment-value")
router.register(
    "refurbishment/refurbishments", procedures.RefurbishmentViewSet, basename="refurbishment-refurb"
)
router.register("refurbishment/procedures", procedures.ProcedureViewSet, basename="refurbishment-procedure")
router.register("refurbishment/grades", procedures.GradeViewSet, basename="refurbishment-grade")
router.register("refurbishment/sales", procedures.SaleViewSet, basename="refurbishment-sale")
