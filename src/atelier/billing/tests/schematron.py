"""The EN 16931 business rules (Schematron compiled to XSLT 2.0, CII syntax) run on our Factur-X XML in tests.

The XSLT is not part of the product: a copy lives in the repository's `tests/data/en16931/` (EUPL 1.2, its source
in the README there), read by the tests only, with Saxon-HE for Python (`saxonche`, a test dependency). It is
compiled once per test session (~2 s); each validation then takes a few milliseconds.
"""

import functools
from pathlib import Path

import pytest
from lxml import etree

XSLT_NAME = "EN16931-CII-validation.xslt"
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


def xslt_path() -> Path | None:
    """The copy under `tests/data/en16931/` (EUPL 1.2, source in its README): every clone has it."""
    repo = Path(__file__).resolve().parents[4]  # tests → billing → atelier → src → the repository
    candidate = repo / "tests" / "data" / "en16931" / XSLT_NAME
    return candidate if candidate.is_file() else None


@functools.cache
def _compiled():
    """(processor, compiled stylesheet): the processor must outlive the executable, so both are kept."""
    from saxonche import PySaxonProcessor

    path = xslt_path()
    processor = PySaxonProcessor(license=False)
    executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(path))
    return processor, executable


def fatal_failures(xml: bytes) -> list[tuple[str, str]]:
    """The fatal failed asserts of an invoice's CII XML, as (rule id, text), in the order of the rules."""
    processor, executable = _compiled()
    document = processor.parse_xml(xml_text=xml.decode())
    report = executable.transform_to_string(xdm_node=document)
    root = etree.fromstring(report.encode())
    return [
        (node.get("id"), " ".join(node.findtext("svrl:text", default="", namespaces=SVRL).split()))
        for node in root.iterfind(".//svrl:failed-assert", namespaces=SVRL)
        if node.get("flag") == "fatal"
    ]


@pytest.fixture(scope="session")
def en16931():
    """The validator (`fatal_failures`), its XSLT compiled once per session."""
    assert xslt_path() is not None, f"{XSLT_NAME} missing from tests/data/en16931/"
    _compiled()
    return fatal_failures
