"""The ``dangjian`` console script: Django's manage.py, plus commands that need no database."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "proofread":
        # The proofreader is pure Python: don't pay for Django start-up or need a database.
        from dangjian.proofread.cli import main as proofread_main

        return proofread_main(args[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dangjian", *args[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
