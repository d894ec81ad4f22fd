"""``dangjian serve``: the production server, one worker process per CPU core.

Python runs one thread at a time per process, so a single process serves from one core however
many threads it has. On Linux and macOS gunicorn runs ``--workers`` processes (default: the
number of cores) with a few threads each; on Windows, where gunicorn does not run, waitress
serves from one process with threads. Static files come from whitenoise either way.
"""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


def default_server() -> str:
    """gunicorn where it runs (POSIX and installed), else waitress."""
    if sys.platform == "win32":
        return "waitress"
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return "waitress"
    return "gunicorn"


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use, not all the machine's
    except AttributeError:
        return os.cpu_count() or 1


class Command(BaseCommand):
    help = "以生产方式启动网站（Linux 上 gunicorn 多进程，Windows 上 waitress；静态文件由 whitenoise 提供）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=0, help="工作进程数（默认：CPU 核数；waitress 只有一个进程）"
        )
        parser.add_argument(
            "--threads", type=int, default=0, help="每个进程的线程数（默认 gunicorn 4，waitress 8）"
        )
        parser.add_argument("--server", choices=["auto", "gunicorn", "waitress"], default="auto")
        parser.add_argument("--timeout", type=int, default=120, help="请求最长处理秒数（gunicorn）")
        parser.add_argument("--no-collectstatic", action="store_true")
        parser.add_argument(
            "--no-worker", action="store_true", help="不启动后台任务程序（另行运行 dangjian worker 时）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        server = default_server() if options["server"] == "auto" else options["server"]
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        if server == "gunicorn":
            workers = options["workers"] or cpu_count()
            threads = options["threads"] or 4
            detail = f"gunicorn，{workers} 个进程 × {threads} 线程"
        else:
            workers, threads = 1, options["threads"] or 8
            detail = f"waitress，{threads} 线程"
        self.stdout.write(
            f"党建台账 正在 http://{options['host']}:{options['port']}/ 提供服务"
            f"（{detail}；数据库：{engine}；Ctrl+C 停止）"
        )
        self.stdout.flush()
        # Close the connections collectstatic may have opened: forked workers must not share them.
        from django.db import connections

        connections.close_all()
        if not options["no_worker"]:
            atexit.register(_stop_worker, _start_worker(), os.getpid())
        if server == "gunicorn":
            self._gunicorn(options["host"], options["port"], workers, threads, options["timeout"])
        else:
            self._waitress(options["host"], options["port"], threads)

    def _waitress(self, host: str, port: int, threads: int) -> None:
        from waitress import serve

        # Imported after collectstatic: whitenoise indexes the static root when the app loads.
        from dangjian.wsgi import application

        serve(application, host=host, port=port, threads=threads, ident="dangjian")

    def _gunicorn(self, host: str, port: int, workers: int, threads: int, timeout: int) -> None:
        try:
            from gunicorn.app.base import BaseApplication
        except ImportError as exc:  # pragma: no cover - gunicorn is a dependency on POSIX
            raise CommandError("未安装 gunicorn，请用 --server waitress。") from exc
        from dangjian.wsgi import application

        class _App(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                config = {
                    "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                    "workers": workers,
                    "threads": threads,
                    "worker_class": "gthread",
                    "timeout": timeout,
                    "graceful_timeout": 30,
                    "keepalive": 5,
                    # Restart a worker now and then so a slow leak cannot grow without bound.
                    "max_requests": 5000,
                    "max_requests_jitter": 500,
                    "accesslog": None,
                    "errorlog": "-",
                    "proc_name": "dangjian",
                }
                # gunicorn ≥ 27 opens a control socket in ~/.gunicorn by default; not wanted here.
                config["control_socket_disable"] = True
                for key, value in config.items():
                    if key in self.cfg.settings:  # older gunicorn lacks the newer settings
                        self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        _App().run()


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


def _stop_worker(worker: subprocess.Popen[bytes], owner: int, grace: float = 30.0) -> None:
    # gunicorn's forked web workers inherit this atexit hook: only the process that started the
    # job worker stops it, not a web worker being recycled.
    if os.getpid() != owner:
        return
    # SIGTERM lets the worker finish the job in hand; one still running after the grace period is
    # killed, and its job then shows as interrupted, with a retry.
    worker.terminate()
    try:
        worker.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
