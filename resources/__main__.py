"""Command line: ``python -m resources check [--data-dir DIR]``.

Prints one line per problem (``file: entry: reason``) and exits 1 if any is an error, so CI and
an operator editing a hotline number get the same verdict.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from resources.validate import check, default_seeds_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m resources", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check_cmd = commands.add_parser("check", help="validate the resource data files")
    check_cmd.add_argument("--data-dir", type=Path, default=None, help="folder with the *.yml")
    check_cmd.add_argument(
        "--seeds-dir", type=Path, default=None, help="seed texts, to check cited line ranges"
    )
    check_cmd.add_argument(
        "--today", type=date.fromisoformat, default=None, help="date for staleness (YYYY-MM-DD)"
    )
    args = parser.parse_args(argv)
    problems = check(
        args.data_dir, today=args.today, seeds_dir=args.seeds_dir or default_seeds_dir()
    )
    for problem in problems:
        print(problem)
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
