"""What the fieldwork screens share: the roles."""

from atelier.core.choices import Role

TECH, RESP, MAG = Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER
