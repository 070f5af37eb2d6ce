"""A certificate as an Open Badges 3.0 credential (1EdTech, https://www.imsglobal.org/spec/ob/v3p0/): an
`OpenBadgeCredential` in the W3C Verifiable Credentials data model 2.0, that the candidate can keep in a wallet.

- issuer: the certifying body named in the branch's rules (ResultRules.certifier_name / certifier_id);
- achievement: the bloc (or the full CQP) with its criteria narrative written from the référentiel;
- credentialSubject: the candidate identified by a salted SHA-256 of their e-mail (or of their name when there is
  none), never in clear: whoever holds the e-mail and the salt checks it is theirs.
Not signed (no `proof`): Atelier holds no key of the certifying body. The certificate's number and verification
code are checked on the verification screen (docs/certification.md)."""

from __future__ import annotations

import hashlib
import secrets
import uuid

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def identity_object(candidate, salt: str | None = None) -> dict:
    """OB 3.0 IdentityObject: hashed, salted; the e-mail when known, else the full name."""
    salt = salt or secrets.token_hex(8)
    if candidate.email:
        value, kind = candidate.email.strip().lower(), "emailAddress"
    else:
        value, kind = f"{candidate.first_name} {candidate.last_name}".strip(), "name"
    digest = hashlib.sha256((value + salt).encode("utf-8")).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": kind,
        "hashed": True,
        "salt": salt,
    }


def bloc_narrative(bloc, competences) -> str:
    """What the référentiel asks for a bloc: every competence acquired, judged on its criteria."""
    lines = [
        f"Bloc {bloc.code} – {bloc.title}.",
        "Délivré quand toutes les compétences du bloc sont acquises devant un jury de professionnels, sur les "
        "critères d'évaluation du référentiel (version du "
        f"{bloc.referentiel.effective_from:%d/%m/%Y}) :",
    ]
    for competence in competences:
        lines.append(f"- {competence.code} {competence.title} ({competence.expected_result.rstrip(' :')})")
    return "\n".join(lines)


def cqp_narrative(referentiel, blocs) -> str:
    lines = [f"{referentiel.title} (référentiel du {referentiel.effective_from:%d/%m/%Y}).",
             "Délivré quand les blocs de compétences sont tous validés :"]  # fmt: skip
    lines += [f"- Bloc {b.code} – {b.title}" for b in blocs]
    return "\n".join(lines)


def credential(
    *,
    rules,
    candidate,
    achievement_id: str,
    name: str,
    description: str,
    narrative: str,
    achievement_type: str,
    number: str,
    issued_at,
    valid_until=None,
) -> dict:
    """The credential as issued (stored on the certificate; never rebuilt)."""
    body = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "description": f"Certificat n° {number}",
        "issuer": {"id": rules.certifier_id, "type": ["Profile"], "name": rules.certifier_name},
        "validFrom": issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [identity_object(candidate)],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": achievement_type,
                "name": name,
                "description": description,
                "criteria": {"narrative": narrative},
                "humanCode": achievement_id.rsplit(":", 1)[-1],
                "inLanguage": "fr",
            },
        },
    }
    if valid_until is not None:
        body["validUntil"] = f"{valid_until:%Y-%m-%d}T23:59:59Z"
    return body
