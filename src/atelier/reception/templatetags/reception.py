from django import template

register = template.Library()


@register.filter
def wait(minutes) -> str:
    """An expected wait as a counter clerk says it: « 7 min », « 1 h 05 »."""
    minutes = int(minutes or 0)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d}"
