"""`dangjian serve`: several worker processes where gunicorn runs, waitress elsewhere."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dangjian.core.management.commands import serve

REPO = Path(__file__).resolve().parents[3]


def test_gunicorn_is_chosen_on_linux_and_waitress_on_windows(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert serve.default_server() == "gunicorn"
    monkeypatch.setattr(sys, "platform", "win32")
    assert serve.default_server() == "waitress"


def test_one_worker_per_usable_core_by_default():
    assert serve.cpu_count() == len(os.sched_getaffinity(0))


@pytest.mark.skipif(sys.platform == "win32", reason="gunicorn runs on POSIX only")
def test_serve_answers_from_several_worker_processes(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DANGJIAN_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dangjian",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--no-collectstatic",
            "--no-worker",  # the job worker is a third child; this test counts web workers
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as response:
                    assert response.status == 200
                    assert "Content-Security-Policy" in response.headers
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        # gunicorn forks its workers one after another and the first may answer before the
        # second exists (seen once on a loaded CI machine): wait for both, within the deadline.
        while True:
            children = subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
            ).stdout.split()
            if len(children) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert len(children) == 2
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "gunicorn，2 个进程" in output
