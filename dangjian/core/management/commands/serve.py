"""``dangjian serve``: the production WSGI server (waitress) with static files from whitenoise."""

from __future__ import annotations

import atexit
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "以生产方式启动网站（waitress + whitenoise）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-collectstatic", action="store_true")
        parser.add_argument(
            "--no-worker", action="store_true", help="不启动后台任务程序（另行运行 dangjian worker 时）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        # Imported after collectstatic: whitenoise indexes the static root when the app loads.
        from dangjian.wsgi import application

        self.stdout.write(
            f"党建台账 正在 http://{options['host']}:{options['port']}/ 提供服务"
            f"（数据库：{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}；Ctrl+C 停止）"
        )
        if not options["no_worker"]:
            atexit.register(_stop_worker, _start_worker())
        serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="dangjian",
        )


# ---- the job worker, started and stopped with the server ------------------------------------------


def _start_worker() -> subprocess.Popen[bytes]:
    """``dangjian worker`` as a child process with the same environment.

    In its own session, so Ctrl+C reaches only the server, which then stops the worker gently;
    should the server die any other way, the kernel sends the worker SIGTERM (Linux).
    """
    return subprocess.Popen(
        [sys.executable, "-m", "dangjian", "worker"], start_new_session=True, preexec_fn=_stop_with_parent
    )


def _stop_with_parent() -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _stop_worker(worker: subprocess.Popen[bytes], grace: float = 30.0) -> None:
    # SIGTERM lets the worker finish the job in hand; one still running after the grace period is
    # killed, and its job then shows as interrupted, with a retry.
    worker.terminate()
    try:
        worker.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
