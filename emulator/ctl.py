"""Start or stop the emulated AWS (moto's server + this project's extension) on 127.0.0.1.

    python3 emulator/ctl.py start [--port 4566]   starts it in the background, waits until it answers
    python3 emulator/ctl.py stop                  stops the one this checkout started
    python3 emulator/ctl.py status

State (pid, port, log) lives in .emulator/ at the repository root (gitignored)."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
STATE = HERE.parent / ".emulator"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def _running() -> tuple[int, int] | None:
    try:
        pid, port = (int(x) for x in (STATE / "pid").read_text().split())
    except (OSError, ValueError):
        return None
    return (pid, port) if _alive(pid) else None


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_emulator/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def start(port: int) -> int:
    try:
        import flask  # noqa: F401
        import moto  # noqa: F401
    except ImportError as error:
        print(f"emulator: {error}: install the pinned versions: pip install -r emulator/requirements.txt", file=sys.stderr)
        return 1
    running = _running()
    if running:
        print(f"emulator: already running (pid {running[0]}) on http://127.0.0.1:{running[1]}")
        return 0
    STATE.mkdir(exist_ok=True)
    log = open(STATE / "server.log", "ab")
    env = {**os.environ, "PYTHONPATH": str(HERE), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "awsemu.app", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    (STATE / "pid").write_text(f"{proc.pid} {port}\n")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            print(f"emulator: exited with {proc.returncode}; see {STATE / 'server.log'}", file=sys.stderr)
            return 1
        if _healthy(port):
            print(f"emulator: listening on http://127.0.0.1:{port} (pid {proc.pid}, log {STATE / 'server.log'})")
            return 0
        time.sleep(0.3)
    print("emulator: did not answer within 60 s", file=sys.stderr)
    proc.terminate()
    return 1


def stop() -> int:
    running = _running()
    if not running:
        print("emulator: not running")
        return 0
    pid, _ = running
    os.kill(pid, signal.SIGTERM)
    for _ in range(50):
        if not _alive(pid):
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
    (STATE / "pid").unlink(missing_ok=True)
    print(f"emulator: stopped (pid {pid})")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--port", type=int, default=int(os.environ.get("EMULATOR_PORT", "4566")))
    args = parser.parse_args()
    if args.command == "start":
        return start(args.port)
    if args.command == "stop":
        return stop()
    running = _running()
    print(f"emulator: running (pid {running[0]}) on http://127.0.0.1:{running[1]}" if running else "emulator: not running")
    return 0 if running else 3


if __name__ == "__main__":
    sys.exit(main())
