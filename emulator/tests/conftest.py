"""Starts the emulator (python3 -m awsemu.app) on a free loopback port for the module's tests, and stops it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    log = open(tmp_path_factory.mktemp("emulator") / "server.log", "wb")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(HERE), "EMULATOR_MWAA_CREATE_SECONDS": "0.5", "EMULATOR_MWAA_UPDATE_SECONDS": "0.5", "EMULATOR_MWAA_DELETE_SECONDS": "0.5"}
    for key in ("AWS_ENDPOINT_URL", "HTTP_PROXY", "http_proxy"):
        env.pop(key, None)
    proc = subprocess.Popen([sys.executable, "-m", "awsemu.app", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/_emulator/health", timeout=1)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"emulator did not start; see {log.name}")
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(10)
    print(f"emulator log: {log.name}")
