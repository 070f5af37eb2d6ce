from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from atelier.core import metrics
from atelier.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", metrics.metrics_view, name="metrics"),  # Prometheus, off by default; token or address
    path("", include("atelier.core.urls")),
    path("langue/", include("django.conf.urls.i18n")),  # set_language: the language selector's POST
    path("clients/", include("atelier.customers.urls")),
    path("dossiers/", include("atelier.repairs.urls")),
    path("base-technique/", include("atelier.knowledge.urls")),
    path("devis/", include("atelier.quotes.urls")),
    path("accueil-clients/", include("atelier.reception.urls")),
    path("diagnostic/", include("atelier.diagnostics.urls")),
    path("stock/", include("atelier.stock.urls")),
    path("facturation/", include("atelier.billing.urls")),
    path("prets/", include("atelier.loans.urls")),
    path("suivi/", include("atelier.billing.public_urls")),
    path("suivi/", include("atelier.aftersales.public_urls")),
    path("suivi/", include("atelier.improvement.public_urls")),
    path("garanties/", include("atelier.aftersales.urls")),
    path("litiges/", include("atelier.disputes.urls")),
    path("photos/", include("atelier.photos.urls")),
    path("reconditionnement/", include("atelier.refurbishment.urls")),
    path("certification/", include("atelier.certification.urls")),
    path("amelioration/", include("atelier.improvement.urls")),
    path("planning/", include("atelier.planning.urls")),
    path("terrain/", include("atelier.fieldwork.urls")),
    path("procedures/", include("atelier.procedures.urls")),
    path("messages/webhooks/", include("atelier.messaging.webhook_urls")),
    path("messages/", include("atelier.messaging.urls")),
    path("exploitation/", include("atelier.operations.urls")),
    path("indicateurs/", include("atelier.indicators.urls")),
    path("api/", include("atelier.config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("admin/", admin.site.urls),
]
