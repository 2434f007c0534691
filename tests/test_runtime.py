"""Long-running processes freeze the objects they loaded, so that garbage collection stays short."""

import gc
import importlib

import pytest


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_web_application_freezes_what_it_has_loaded(unfrozen):
    import abonent.wsgi

    importlib.reload(abonent.wsgi)

    assert gc.get_freeze_count() > 10_000  # Django and the apps: tens of thousands of objects


def test_the_worker_freezes_what_it_has_loaded_when_it_starts(unfrozen):
    from huey.contrib.djhuey import HUEY

    import abonent.core.tasks  # noqa: F401 - the worker loads every app's tasks

    HUEY._startup["worker_heap_freeze"]()

    assert gc.get_freeze_count() > 10_000
