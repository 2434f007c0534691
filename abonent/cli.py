"""The `abonent` console script: every operational command, as `abonent <command>`."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "abonent.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["abonent", *sys.argv[1:]])


if __name__ == "__main__":
    main()
