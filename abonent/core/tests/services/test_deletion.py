from dataclasses import dataclass

import pytest

from abonent.core.roles import Role
from abonent.core.services import DeletionRefused, deletion_assert_allowed


@dataclass
class Document:
    name: str
    is_approved: bool

    def __str__(self) -> str:
        return self.name


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.MANAGER, Role.AGENT])
def test_approved_data_may_not_be_deleted_below_a_superadmin(make_user, role):
    invoice = Document("Invoice F2026-0001", is_approved=True)

    with pytest.raises(DeletionRefused) as refused:
        deletion_assert_allowed(user=make_user(role), obj=invoice)

    assert str(refused.value) == "“Invoice F2026-0001” is approved; only a super-administrator may delete it."


def test_a_superadmin_may_delete_approved_data(make_user):
    deletion_assert_allowed(user=make_user(Role.SUPERADMIN), obj=Document("Invoice", is_approved=True))


@pytest.mark.parametrize("role", [Role.AGENT, Role.ADMINISTRATOR, Role.SUPERADMIN])
def test_anyone_may_delete_unapproved_data(make_user, role):
    deletion_assert_allowed(user=make_user(role), obj=Document("Draft invoice", is_approved=False))


def test_data_that_cannot_be_approved_may_be_deleted(make_user):
    deletion_assert_allowed(user=make_user(Role.AGENT), obj=object())
