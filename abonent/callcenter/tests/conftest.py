import pytest

from abonent.callcenter.models import Attachment


@pytest.fixture
def private_files(tmp_path, monkeypatch):
    """Keep the attachments a test stores in its own temporary directory."""
    storage = Attachment._meta.get_field("file").storage
    monkeypatch.setattr(storage, "_location", str(tmp_path))
    monkeypatch.setattr(storage, "location", str(tmp_path), raising=False)
    monkeypatch.setattr(storage, "base_location", str(tmp_path), raising=False)
    return tmp_path
