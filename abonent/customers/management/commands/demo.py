from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from abonent.core.demo import demo_steps_run
from abonent.customers.demo import DEMO_PASSWORD, DEMO_STAFF, demo_load
from abonent.customers.models import Party


class Command(BaseCommand):
    help = "Load demo staff for every role and demo customers from CZ, PL, RO and RU (safe to run again)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--customers", type=int, default=200, help="how many demo customers (default 200)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when customers exist already")
        parser.add_argument("--force", action="store_true", help="allow it when ABONENT_ENV=production")

    def handle(self, *args, customers: int, if_empty: bool, force: bool, **options) -> None:
        if settings.PRODUCTION and not force:
            raise CommandError("Refusing to load demo data in production; add --force if you mean it.")
        if customers < 0:
            raise CommandError("--customers must be 0 or more.")
        if if_empty and Party.objects.exists():
            self.stdout.write("Customers exist already; demo data not loaded.")
        else:
            result = demo_load(customers=customers)
            self.stdout.write(self.style.SUCCESS(
                f"Demo data ready: {result['staff']} staff users, {result['customers_created']} customers "
                f"created, {result['customers_total']} in all."
            ))
            for line in demo_steps_run(now=timezone.now()):
                self.stdout.write(f"  {line}")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in DEMO_STAFF:
            self.stdout.write(f"  {login.username:<11} {login.role.label}")
