import pytest
from huey.contrib.djhuey import HUEY


def test_it_reports_a_healthy_database_and_queue(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "queue": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_queue_does_not_answer(client, db, monkeypatch):
    def broken() -> int:
        raise ConnectionError("queue is down")

    monkeypatch.setattr(HUEY.storage, "queue_size", broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "queue": "error: ConnectionError"}


@pytest.mark.parametrize("role", ["agent", "customer"])
def test_it_answers_signed_in_users_too(client_as, role):
    assert client_as(role).get("/healthz").status_code == 200
