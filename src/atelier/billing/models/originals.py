"""The stored originals of issued documents: the PDF (and Factur-X XML) exactly as produced, written once."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from atelier.billing.models.base import Immutable
from atelier.billing.models.invoices import Invoice
from atelier.core.scoping import SiteScopedManager


class Original(Immutable):
    """The original of an invoice, deposit invoice or credit note: its PDF as served (the Factur-X PDF/A-3 for a
    business customer, with its CII XML kept beside it; the plain PDF otherwise) and their SHA-256, which the
    site's journal records (entry « original »). Kept in the database on purpose: same transaction and backup
    as the books. Created once, never changed: every later download returns these bytes."""

    invoice = models.OneToOneField(
        Invoice, on_delete=models.PROTECT, related_name="original", verbose_name=_("document")
    )
    pdf = models.BinaryField(_("PDF"))
    xml = models.BinaryField(_("XML Factur-X"), null=True, blank=True)
    pdf_sha256 = models.CharField(_("empreinte SHA-256 du PDF"), max_length=64)
    xml_sha256 = models.CharField(_("empreinte SHA-256 du XML"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("conservé le"))

    immutable_message = _(
        "L'original d'un document émis est conservé tel quel : il ne peut être ni modifié ni supprimé."
    )

    site_path = "invoice__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("original conservé")
        verbose_name_plural = _("originaux conservés")

    def __str__(self) -> str:
        return str(self.invoice)
