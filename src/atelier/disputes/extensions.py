"""Plug-in points of disputes: the parts other apps add to the evidence pack.

An app registers in its AppConfig.ready():
    from atelier.disputes import extensions
    extensions.evidence_parts.append(my_part)   # (case) -> {"template": ..., "title": ..., **context} or None

`case` is the dossier of the pack (never None: a pack without a dossier has no parts). The template is rendered
inside the pack's PDF (disputes/pdf/evidence_pack.html) with the part's dict as `part`; an image is given as a
data URL or an absolute file:// URL so WeasyPrint finds it. `disputes/pdf/_part_list.html` renders a plain
list (`items`, or `empty` when there are none). The photos of issue 18 point 5 (app
atelier.photos) are meant to come through here.
"""

from collections.abc import Callable

evidence_parts: list[Callable] = []


def collect_evidence_parts(case) -> list[dict]:
    if case is None:
        return []
    return [part for provider in evidence_parts if (part := provider(case))]
