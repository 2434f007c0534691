import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_country_choices():
    """The list caches the countries its customers come from; each test starts without that cache."""
    cache.clear()
    yield
    cache.clear()
