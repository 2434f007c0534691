from django import template

from abonent.core.permissions import has_access
from abonent.core.roles import Access

register = template.Library()


@register.filter
def may_write(user, module: str) -> bool:
    """{% if request.user|may_write:"banking" %}: whether write controls are shown."""
    return has_access(user, module, Access.WRITE)
