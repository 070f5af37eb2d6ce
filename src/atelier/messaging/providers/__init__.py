"""E-mail and SMS providers behind one interface (see base.py)."""
