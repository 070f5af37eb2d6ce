"""PDF documents of certification (WeasyPrint, core.pdf): the session's procès-verbal and the certificates. A
certificate prints what was copied on it when it was issued (holder, title, dates, number), never today's data."""

from atelier.certification import selectors_results
from atelier.certification.models import Certificate, CertificationSession
from atelier.core.pdf import render_document, render_pdf


def pv_html(session: CertificationSession) -> str:
    board = selectors_results.session_board(session)
    return render_document(
        "certification/pdf/pv.html",
        {
            "session": session,
            "site": session.site,
            "epreuves": session.epreuves.order_by("number"),
            **board,
        },
    )


def pv_pdf(session: CertificationSession) -> bytes:
    return render_pdf(pv_html(session))


def certificate_html(certificate: Certificate) -> str:
    from atelier.certification.results_rules import rules_for

    return render_document(
        "certification/pdf/certificate.html",
        {
            "certificate": certificate,
            "site": certificate.session.site,
            "issuer": certificate.credential["issuer"]["name"],
            "narrative": certificate.credential["credentialSubject"]["achievement"]["criteria"]["narrative"],
            "rules": rules_for(certificate.session.starts_on),
        },
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    return render_pdf(certificate_html(certificate))
