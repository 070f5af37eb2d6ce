"""Demo data for `atelier demo` (and `make demo`): two sites, their staff, customers, appliances, dossiers.

Generated, not loaded from fixtures, so the dates follow the day of the run (dossiers received today,
visits planned for tomorrow) and every record goes through the same services as real work.
"""

from atelier.demo.loader import DemoSummary, load_demo

__all__ = ["DemoSummary", "load_demo"]
