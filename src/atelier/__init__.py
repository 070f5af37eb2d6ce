"""Atelier: after-sales repair service (SAV) software for French appliance and multimedia repairers."""

__version__ = "0.1.0"
