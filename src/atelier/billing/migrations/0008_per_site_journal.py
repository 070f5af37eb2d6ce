"""One journal chain per site, entries signed with Ed25519 and holding their document's whole content.

This migration REWRITES existing journal entries, on purpose: it first checks the old single chain (HMAC with
ATELIER_JOURNAL_KEY) and refuses to go on if it is broken, so nothing tampered is laundered; then it renumbers
each site's entries from 1, puts each document's whole content into its entry (the documents were just proven
consistent with their amounts), and links and signs them again. Later migrations that touch journal entries or
issued documents must say so too and run inside `billing.guards.rewrite_allowed()`.
"""

import datetime
import hashlib
import hmac
import json
from decimal import Decimal

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_GENESIS = "0" * 64


def _old_hash(entry) -> str:
    text = "|".join(
        [
            str(entry.seq),
            entry.at.astimezone(datetime.UTC).isoformat(),
            str(entry.site_id),
            entry.kind,
            entry.reference,
            f"{Decimal(entry.amount):.2f}",
            entry.payload,
            entry.prev_hash,
        ]
    ).encode()
    return hmac.new(settings.ATELIER_JOURNAL_KEY.encode(), text, hashlib.sha256).hexdigest()


def _check_old_chain(entries) -> None:
    prev = OLD_GENESIS
    for expected, entry in enumerate(entries, start=1):
        if entry.seq != expected or entry.prev_hash != prev or _old_hash(entry) != entry.hash:
            raise RuntimeError(
                f"Journal rompu avant migration (écriture n° {expected}) : vérifiez-le avec l'ancienne version "
                "(« atelier journal verify ») avant de migrer ; rien n'a été modifié."
            )
        prev = entry.hash


def _document(apps, entry):
    Invoice = apps.get_model("billing", "Invoice")
    Payment = apps.get_model("billing", "Payment")
    Closure = apps.get_model("billing", "Closure")
    if entry.kind in ("facture", "avoir"):
        return Invoice.objects.filter(site_id=entry.site_id, number=entry.reference).first()
    if entry.kind == "paiement":
        return Payment.objects.filter(pk=int(entry.reference.rsplit("/", 1)[1][1:])).first()
    if entry.kind == "cloture":
        _code, period, start = entry.reference.split("/")
        return Closure.objects.filter(site_id=entry.site_id, period=period, start=start).first()
    return None


def rechain(apps, schema_editor):
    from atelier.billing import integrity, journal, signing

    JournalEntry = apps.get_model("billing", "JournalEntry")
    JournalHead = apps.get_model("billing", "JournalHead")
    entries = list(JournalEntry.objects.order_by("seq"))
    _check_old_chain(entries)
    heads: dict[int, tuple[int, str]] = {}
    for entry in entries:
        seq, prev = heads.get(entry.site_id, (0, journal.GENESIS))
        document = _document(apps, entry)
        if document is not None:
            entry.document_id = document.pk
            entry.payload = integrity.canonical(integrity.document_content(document))
        else:
            entry.payload = integrity.canonical(json.loads(entry.payload))
        entry.seq, entry.prev_hash = seq + 1, prev
        entry.digest = journal.payload_digest(entry.payload)
        entry.key_id = signing.current_key_id()
        entry.hash = journal.entry_hash(entry)
        entry.signature = signing.sign(entry.hash.encode())[1]
        entry.save()
        heads[entry.site_id] = (entry.seq, entry.hash)
    JournalHead.objects.all().delete()
    for site_id, (seq, last) in heads.items():
        JournalHead.objects.create(site_id=site_id, last_seq=seq, last_hash=last)


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0007_journal_kinds"),
        ("core", "0005_site_idle_logout_api_token"),
    ]

    operations = [
        migrations.AlterField(
            model_name="journalentry",
            name="seq",
            field=models.PositiveBigIntegerField(verbose_name="n° d'ordre"),
        ),
        migrations.AddField(
            model_name="journalentry",
            name="document_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="n° interne du document"),
        ),
        migrations.AddField(
            model_name="journalentry",
            name="digest",
            field=models.CharField(default="", max_length=64, verbose_name="empreinte du contenu"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="journalentry",
            name="key_id",
            field=models.CharField(default="", max_length=16, verbose_name="clé de signature"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="journalentry",
            name="signature",
            field=models.CharField(default="", max_length=88, verbose_name="signature"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="journalhead",
            name="site",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="journal_head",
                to="core.site",
                verbose_name="site",
            ),
        ),
        migrations.RunPython(rechain, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="journalhead",
            name="site",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="journal_head",
                to="core.site",
                verbose_name="site",
            ),
        ),
        migrations.AlterModelOptions(
            name="journalentry",
            options={"ordering": ["site", "seq"], "verbose_name": "écriture du journal", "verbose_name_plural": "journal"},
        ),
        migrations.AlterModelOptions(
            name="journalhead",
            options={"verbose_name": "tête du journal", "verbose_name_plural": "têtes du journal"},
        ),
        migrations.AddConstraint(
            model_name="journalentry",
            constraint=models.UniqueConstraint(fields=("site", "seq"), name="billing_journal_seq_per_site"),
        ),
        migrations.AddIndex(
            model_name="journalentry",
            index=models.Index(fields=["kind", "document_id"], name="billing_journal_document"),
        ),
    ]
