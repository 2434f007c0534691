"""Fixtures shared by every test: users in each role and clients signed in as them."""

import os

os.environ.setdefault("ABONENT_TESTING", "1")

import pytest  # noqa: E402

from abonent.accounts.services import rights_seed_defaults  # noqa: E402
from abonent.accounts.tests.factories import UserFactory  # noqa: E402
from abonent.core.roles import Role  # noqa: E402


@pytest.fixture(autouse=True)
def _default_rights(db):
    """Rights are seeded by post_migrate, which a flushed test database may have lost."""
    rights_seed_defaults()


@pytest.fixture
def make_user(db):
    def make(role: Role = Role.AGENT, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def client_as(client, make_user):
    """Return a test client signed in as a new user of the given role."""

    def sign_in(role: Role, **kwargs):
        user = make_user(role, **kwargs)
        client.force_login(user)
        client.user = user
        return client

    return sign_in
