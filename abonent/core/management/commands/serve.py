import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start the web server (gunicorn) and the background worker (Huey) together; Ctrl-C stops both."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))

    def handle(self, *args, port: int, host: str, web_workers: int, **options) -> None:
        bindir = os.path.dirname(sys.executable)
        web = [
            os.path.join(bindir, "gunicorn"), "abonent.wsgi:application", "--bind", f"{host}:{port}",
            "--workers", str(web_workers), "--threads", "4", "--access-logfile", "-", "--graceful-timeout", "5",
        ]
        worker = [sys.executable, "-m", "abonent.cli", "run_huey", "--workers", "2", "--worker-type", "thread"]
        queue = "Redis" if settings.REDIS_URL else "SQLite"
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(self.style.SUCCESS(f"Abonent is starting on http://{host}:{port}/"))
        self.stdout.write(f"  database: {database}, job queue: {queue}. Press Ctrl-C to stop.")
        processes = [subprocess.Popen(web), subprocess.Popen(worker)]  # noqa: S603 - our own fixed commands

        def stop(*_args) -> None:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.stdout.write("Abonent stopped.")
