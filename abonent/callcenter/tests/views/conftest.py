import pytest

from abonent.accounts.models import RoleRight
from abonent.core.roles import Access, Role


@pytest.fixture
def htmx():
    return {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "tab-pane"}


@pytest.fixture
def agents_without_call_center(db):
    """A role set up without the call center: its people may not see requests or their files."""
    RoleRight.objects.filter(role=Role.AGENT, module="callcenter").update(access=Access.NONE)


@pytest.fixture
def read_only_agents(db):
    RoleRight.objects.filter(role=Role.AGENT, module="callcenter").update(access=Access.READ)
