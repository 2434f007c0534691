"""The operational surface: the console script, the production check, the health endpoint."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ABONENT = Path(sys.executable).parent / "abonent"


def run_abonent(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    """Run the console script on its own SQLite database in tmp_path.

    DATABASE_URL is dropped too: under the PostgreSQL run it names one shared
    database, and two of these tests migrating it at once collide."""
    clean = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("ABONENT_", "DJANGO_", "PYTEST")) and k != "DATABASE_URL"
    }
    clean.update({"ABONENT_DATA_DIR": str(tmp_path)}, **env)
    return subprocess.run([str(ABONENT), *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


def test_the_production_settings_pass_djangos_deployment_check(tmp_path):
    result = run_abonent(
        "check", "--deploy", "--fail-level", "WARNING",
        env={"ABONENT_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(50)}, tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_abonent("check", env={"ABONENT_ENV": "production"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_the_console_script_runs_management_commands(tmp_path):
    result = run_abonent("help", env={}, tmp_path=tmp_path)
    assert result.returncode == 0
    for command in ("serve", "demo", "compiletranslations", "run_huey"):
        assert command in result.stdout


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_on_its_port_and_stops_cleanly_on_ctrl_c(tmp_path):
    import json
    import signal
    import time
    import urllib.request

    assert run_abonent("migrate", "--noinput", env={}, tmp_path=tmp_path).returncode == 0
    port = _free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ABONENT_", "DJANGO_", "PYTEST"))}
    clean.update(ABONENT_DATA_DIR=str(tmp_path), PORT=str(port))
    server = subprocess.Popen([str(ABONENT), "serve"], cwd=ROOT, env=clean, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        health = None
        for _attempt in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    health = json.load(response)
                break
            except OSError:
                time.sleep(0.25)
        assert health == {"status": "ok", "database": "ok", "queue": "ok"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as response:
            assert 'name="password"' in response.read().decode()
    finally:
        # Ctrl-C in a terminal signals the whole process group.
        os.killpg(server.pid, signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert f"http://127.0.0.1:{port}/" in output
    assert "Abonent stopped." in output


HEALTH_PROBE = (
    "from django.test import Client; from huey.contrib.djhuey import HUEY; "
    "r = Client().get('/healthz'); print(type(HUEY).__name__, r.status_code, r.json()['queue'], sep='|')"
)


def test_redis_url_switches_the_job_queue_to_redis_and_healthz_reports_it_unreachable(tmp_path):
    assert run_abonent("migrate", "--noinput", env={}, tmp_path=tmp_path).returncode == 0
    closed_port = _free_port()  # nothing listens there
    result = run_abonent("shell", "-c", HEALTH_PROBE, env={"REDIS_URL": f"redis://127.0.0.1:{closed_port}/0"},
                         tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    huey_class, status, queue = result.stdout.strip().splitlines()[-1].split("|")
    assert (huey_class, status) == ("RedisHuey", "503")
    assert queue.startswith("error")


def test_without_redis_the_job_queue_is_sqlite_and_healthy(tmp_path):
    assert run_abonent("migrate", "--noinput", env={}, tmp_path=tmp_path).returncode == 0
    result = run_abonent("shell", "-c", HEALTH_PROBE, env={}, tmp_path=tmp_path)
    assert result.stdout.strip().splitlines()[-1] == "SqliteHuey|200|ok", result.stderr
