"""Starts the three processes of Waypoint (action server, Rasa server, gateway), waits until
they are healthy, and stops them all cleanly. Used by `make run` and by the end-to-end tests,
so the tests exercise exactly what an operator runs.

Run with the gateway environment: `python -m scripts.stack` (Ctrl-C stops everything).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RASA_BIN = ROOT / ".venv-rasa" / "bin"
GATEWAY_PYTHON = ROOT / ".venv-gateway" / "bin" / "python"
# No message text in Rasa's or the action server's logs, at any level (rasa_log_privacy.py).
RASA_LOGGING = "scripts/rasa_logging.yml"


@dataclass
class StackConfig:
    gateway_port: int = 8000
    rasa_port: int = 5005
    action_port: int = 5055
    var_dir: Path = ROOT / "var"
    model: Path = ROOT / "models" / "waypoint.tar.gz"
    # bot/endpoints.yml (SQLite tracker, in-memory lock) or bot/endpoints.scale.yml
    # (PostgreSQL tracker, Redis lock store), as STACK_ENDPOINTS says.
    endpoints: str = os.environ.get("STACK_ENDPOINTS", "bot/endpoints.yml")
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"


def owner_only(var: Path) -> None:
    """The data directory and everything in it readable by its owner only (databases, their
    WAL and journal files, logs): the umask is inherited by the three processes, so what they
    create later is 0600 too; what an older run created is narrowed here."""
    os.umask(0o077)
    var.mkdir(parents=True, exist_ok=True)
    var.chmod(0o700)
    for path in var.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o700 if path.is_dir() else 0o600)


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self._argv: dict[str, list[str]] = {}

    def _env(self) -> dict[str, str]:
        c = self.config
        env = dict(os.environ)
        env.update(
            {
                "RASA_TELEMETRY_ENABLED": "false",
                "SANIC_HOST": "127.0.0.1",  # the action server binds to loopback only
                "ACTION_ENDPOINT_URL": f"{c.action_url}/webhook",
                "RASA_TRACKER_DB": str(c.var_dir / "rasa_tracker.db"),
                # The same database for the gateway, which purges old texts from it.
                "RASA_TRACKER_URL": env.get("RASA_TRACKER_URL", self._default_tracker_url()),
                "HELPLINE_HOST": env.get("HELPLINE_HOST", "127.0.0.1"),
                "HELPLINE_PORT": str(c.gateway_port),
                "RASA_URL": c.rasa_url,
                "ACTION_SERVER_URL": c.action_url,
                "DATABASE_URL": env.get("DATABASE_URL", f"sqlite:///{c.var_dir / 'gateway.db'}"),
                "PYTHONPATH": str(ROOT),
                "TF_CPP_MIN_LOG_LEVEL": "2",
            }
        )
        env.update(c.extra_env)
        return env

    def _default_tracker_url(self) -> str:
        """The SQLite tracker of bot/endpoints.yml; other endpoints files need RASA_TRACKER_URL."""
        if self.config.endpoints != "bot/endpoints.yml":
            return ""
        return f"sqlite:///{self.config.var_dir / 'rasa_tracker.db'}"

    def _spawn(self, name: str, argv: list[str]) -> None:
        self._argv[name] = argv
        logs = self.config.var_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        log_file = (logs / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self._env(),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches this launcher, which stops each child
        )

    def start(self) -> None:
        c = self.config
        if not c.model.exists():
            raise SystemExit(f"No trained model at {c.model}; run `make model` first")
        owner_only(c.var_dir)
        self._spawn(
            "actions",
            [
                str(RASA_BIN / "python"),
                "-m",
                "rasa_sdk",
                "--actions",
                "bot.actions",
                "-p",
                str(c.action_port),
                "--logging-config_file",
                RASA_LOGGING,
            ],
        )
        self._spawn(
            "rasa",
            [
                str(RASA_BIN / "rasa"),
                "run",
                "--model",
                str(c.model),
                "--endpoints",
                c.endpoints,
                "--credentials",
                "bot/credentials.yml",
                "--interface",
                "127.0.0.1",
                "--port",
                str(c.rasa_port),
                "--logging-config-file",
                RASA_LOGGING,
            ],
        )
        self._spawn("gateway", [str(GATEWAY_PYTHON), "-m", "sms_gateway"])

    def health(self) -> dict[str, object] | None:
        try:
            with urllib.request.urlopen(f"{self.config.gateway_url}/healthz", timeout=3) as resp:
                return json.loads(resp.read())  # type: ignore[no-any-return]
        except (urllib.error.URLError, OSError, ValueError):
            return None

    def wait_healthy(self, timeout: float = 240.0) -> dict[str, object]:
        deadline = time.monotonic() + timeout
        last: dict[str, object] | None = None
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(
                        f"{name} exited with code {process.returncode}; see var/logs/{name}.log"
                    )
            last = self.health()
            if last and last.get("status") == "ok":
                return last
            time.sleep(0.5)
        raise TimeoutError(f"stack not healthy after {timeout:.0f} s: {last}")

    def restart(self, name: str) -> None:
        """Start one part again after `kill` (fault tests: the service must resume)."""
        argv = self._argv[name]
        self._spawn(name, argv)

    def kill(self, name: str) -> None:
        """Kill one part at once (used to prove the others cope without it)."""
        process = self.processes[name]
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop(self, timeout: float = 15.0) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def main() -> int:
    stack = Stack(StackConfig())
    stopping = False

    def _stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    started = time.monotonic()
    stack.start()
    print("Starting the action server, the Rasa server and the gateway (logs in var/logs/)...")
    try:
        stack.wait_healthy()
    except (RuntimeError, TimeoutError) as exc:
        print(f"Waypoint did not start: {exc}", file=sys.stderr)
        stack.stop()
        return 1
    c = stack.config
    print(
        f"\nWaypoint is up in {time.monotonic() - started:.1f} s\n"
        f"  gateway        {c.gateway_url}  (Twilio webhook POST /sms/twilio, health /healthz)\n"
        f"  Rasa server    {c.rasa_url}  (loopback only)\n"
        f"  action server  {c.action_url}  (loopback only)\n"
        f'  try it:        make sms MSG="i need a shelter in reno"\n'
        f"Press Ctrl-C to stop.",
        flush=True,
    )
    while not stopping:
        for name, process in stack.processes.items():
            if process.poll() is not None:
                print(
                    f"{name} stopped unexpectedly (code {process.returncode}); stopping all.",
                    file=sys.stderr,
                )
                stack.stop()
                return 1
        time.sleep(0.5)
    print("\nStopping Waypoint...")
    stack.stop()
    print("Stopped.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
