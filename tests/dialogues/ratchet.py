"""Writes tests/dialogues/passing.txt from a dialogue report (DIALOGUE_REPORT=... of
tests/e2e/test_dialogues.py): the dialogues that passed every turn. Run after a change that
makes more of them pass; a dialogue once listed must keep passing.

    python -m tests.dialogues.ratchet var/dialogues.json
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

PASSING = Path(__file__).with_name("passing.txt")


def main(report: str) -> None:
    turns: dict[str, list[bool]] = defaultdict(list)
    for row in json.loads(Path(report).read_text("utf-8")):
        turns[row["dialogue"]].append(not row["problems"])
    passed = sorted(d for d, ok in turns.items() if all(ok))
    old = {line for line in PASSING.read_text().splitlines() if line and not line.startswith("#")}
    lost = sorted(old - set(passed))
    header = "# Dialogues that pass every turn: a regression fails make test (ratchet.py)\n"
    PASSING.write_text(header + "".join(f"{d}\n" for d in sorted(set(passed) | old)), "utf-8")
    print(f"{len(passed)}/{len(turns)} dialogues pass; listed: {len(set(passed) | old)}")
    if lost:
        print("listed but failing now (kept listed; fix them):", *lost, sep="\n  ")


if __name__ == "__main__":
    main(sys.argv[1])
