"""What the fieldwork screens share: the roles, and the adapter for an action with no object of its own."""

from atelier.core.choices import Role

TECH, RESP, MAG = Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER
REGISTRY = (RESP, MAG)
WORKERS = (TECH, RESP)


def without_target(service):
    """run_action hands the service the page's object under `target`; a creation from a page with no object
    (a new tool, the day's PPE check, a site's rules) drops that keyword."""

    def call(*, nothing=None, **kwargs):
        return service(**kwargs)

    return call


def plain_ids(form_class):
    """A page with one form keeps Django's plain ids (id_serial, id_anomalies…): the journeys and draft.js
    find its fields by them, where Action.bind would prefix them with the action's name."""

    def build(*args, auto_id=None, **kwargs):
        return form_class(*args, **kwargs)

    return build
