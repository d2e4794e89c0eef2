"""Shows the safety net's evaluation figures at the end of the pytest run, even with -q, so the
numbers are seen on every run and not only when an assertion fails."""

from __future__ import annotations

from typing import Any

SUMMARY: list[str] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SUMMARY:
        terminalreporter.section("crisis safety net evaluation")
        for line in SUMMARY:
            terminalreporter.write_line(line)
