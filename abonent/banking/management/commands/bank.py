"""`abonent bank import FILE [--account IBAN] [--format ...] [--strict]`: import a statement file, print one
JSON line."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from abonent.banking.parsing import FORMATS
from abonent.banking.services import statement_import
from abonent.core.models import Channel
from abonent.core.services import AbonentError


class Command(BaseCommand):
    help = "Bank statements: `bank import FILE` reads a statement file or a saved Fio API answer."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        command = actions.add_parser("import", help="Import a statement file and match its lines.",
                                     called_from_command_line=getattr(parser, "called_from_command_line", False))
        command.add_argument("file", help="camt.053/052/054 XML, MT940, ABO/GPC, Fio JSON or CSV")
        command.add_argument("--account", default="", help="the company account (IBAN or number/bank code); "
                             "by default the one the statement names, registered when new")
        command.add_argument("--format", default="auto",
                             help=f"{'|'.join(FORMATS)}|csv:PROFILE (default: told from the content)")
        command.add_argument("--strict", action="store_true",
                             help="refuse a statement whose opening balance plus its lines does not make its closing "
                             "balance (by default it is imported with a warning)")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        fmt = options["format"]
        if fmt not in FORMATS and not fmt.startswith("csv:"):
            raise CommandError(f"--format {fmt}: choose one of {', '.join(FORMATS)} or csv:PROFILE")
        try:
            result = statement_import(data=data, filename=path.name, account_typed=options["account"], format=fmt,
                                      by=None, channel=Channel.IMPORT, now=timezone.now(),
                                      strict_balances=options["strict"])
        except AbonentError as error:
            raise CommandError(f"{path.name}: {error}") from None
        self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
