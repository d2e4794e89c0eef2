"""The reporting-duty policy is the deploying helpline's, set in data: the cautious default
until it is set, and both settings give texts that pass the wording checker."""

from __future__ import annotations

from pathlib import Path

import pytest

from resources.replies import render
from resources.reporting_policy import POLICY_FILE, load_policy


def test_the_default_is_the_cautious_one() -> None:
    policy = load_policy()
    assert policy.mandated_reporters is True and "default" in policy.set_by
    assert "may have to tell child protection" in render(policy.reply_id)
    assert "mandated reporters" in policy.console_reminder


def test_a_helpline_that_is_not_mandated_says_so(tmp_path: Path) -> None:
    text = POLICY_FILE.read_text().replace("mandated_reporters: true", "mandated_reporters: false")
    path = tmp_path / "reporting_policy.yml"
    path.write_text(text)
    policy = load_policy(path)
    assert policy.reply_id == "reporting_duty_none"
    assert "keep what you say private" in render(policy.reply_id)
    assert "not mandated reporters" in policy.console_reminder
    assert "privado" in render(policy.reply_id, "sms", "es")


def test_a_policy_that_is_not_true_or_false_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "reporting_policy.yml"
    path.write_text(
        POLICY_FILE.read_text().replace("mandated_reporters: true", "mandated_reporters: maybe")
    )
    with pytest.raises(ValueError, match="true or false"):
        load_policy(path)
