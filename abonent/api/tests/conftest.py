import pytest

from abonent.accounts.services import api_token_create


@pytest.fixture
def bearer(make_user):
    """Return request headers carrying a fresh API token of a new user in the given role."""

    def make(role, **kwargs):
        user = make_user(role, **kwargs)
        _token, secret = api_token_create(user=user, name="tests")
        headers = {"Authorization": f"Bearer {secret}"}
        return user, headers

    return make
