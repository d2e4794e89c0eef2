"""The deploying helpline's reporting-duty policy (resources/data/reporting_policy.yml): data,
not code, so a helpline sets it with its counsel and every text that speaks of it follows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

POLICY_FILE = Path(__file__).parent / "data" / "reporting_policy.yml"


@dataclass(frozen=True)
class ReportingPolicy:
    mandated_reporters: bool
    set_by: str
    console_reminder: str

    @property
    def reply_id(self) -> str:
        """The reply (replies_handoff.yml) that tells a person what our team must pass on."""
        return "reporting_duty_mandated" if self.mandated_reporters else "reporting_duty_none"


@lru_cache(maxsize=4)
def load_policy(path: Path = POLICY_FILE) -> ReportingPolicy:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    mandated = raw["mandated_reporters"]
    if not isinstance(mandated, bool):
        raise ValueError(f"{path.name}: mandated_reporters must be true or false")
    reminder = raw["console_reminder"]["mandated" if mandated else "none"]
    return ReportingPolicy(mandated, str(raw.get("set_by") or ""), " ".join(str(reminder).split()))
