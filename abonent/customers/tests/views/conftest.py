import pytest

from abonent.accounts.models import RoleRight
from abonent.core.roles import Access, Role


@pytest.fixture
def read_only_agents(db):
    """Agents may look at customers but not change them."""
    RoleRight.objects.filter(role=Role.AGENT, module="customers").update(access=Access.READ)


@pytest.fixture
def htmx():
    return {"HTTP_HX_REQUEST": "true"}
