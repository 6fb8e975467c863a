"""`healthfm serve --workers N`: N server processes, each with its own listening socket on the same port
(SO_REUSEPORT), so the kernel spreads new connections over them by hash. (With one shared socket the
worker that calls accept first takes the connection: a burst of keep-alive clients piles onto one.)

The parent holds the port (bound, not listening: a port in use fails at once, clearly), starts the
workers in their own process group, forwards SIGINT/SIGTERM to them once (each drains, as one server
does) and restarts a worker that dies unexpectedly; what they share lives in a private folder removed
at exit (`healthfm.serve.shared`)."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import secrets
import shutil
import signal
import socket
import time
from typing import Any

from healthfm.errors import UsageError
from healthfm.serve.settings import SETTINGS_ENV, ServeSettings

log = logging.getLogger("healthfm.serve")
_QUICK_DEATH_S = 10.0  # a worker dying sooner than this after its start is a startup failure
_STARTUP_FAILURE = 3  # uvicorn's exit status when the app's startup (the lifespan) failed
_MAX_RESTARTS = 5  # per minute: beyond that the server stops instead of restarting in a loop


def _socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def _worker(host: str, port: int, options: dict[str, Any]) -> None:
    import uvicorn

    os.setpgrp()  # a terminal's Ctrl-C reaches the parent only; it forwards one signal
    sock = _socket(host, port)
    sock.listen(2048)
    config = uvicorn.Config("healthfm.serve.app:app_from_env", factory=True, **options)
    uvicorn.Server(config).run(sockets=[sock])


def run_workers(settings: ServeSettings, workers: int, host: str, port: int, options: dict[str, Any]) -> int:
    """Serve with `workers` processes until SIGINT/SIGTERM; the exit status (0, or 1 when the workers
    could not start)."""
    from healthfm.serve.served import find_record, run_folder
    from healthfm.serve.shared import METRICS_DIR, make_shared_dir
    from healthfm.store.catalog import Catalog

    with Catalog.open(settings.catalog_url, store_path=settings.store) as catalog:  # fail here, clearly
        record = find_record(catalog, settings.model, settings.version)
    if not run_folder(record).is_dir():
        raise UsageError(f"model {record.name}@{record.version}: run folder {run_folder(record)} is missing")
    holder = _socket(host, port)  # bound, never listening: no connection is ever queued on it
    shared = make_shared_dir()
    extra = {**settings.extra, "shared_dir": str(shared), "csrf_key": secrets.token_hex(32)}
    os.environ[SETTINGS_ENV] = settings.with_(extra=extra).to_json()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(shared / METRICS_DIR)  # before any worker starts
    ctx = multiprocessing.get_context("spawn")
    stopping: list[int] = []

    def start() -> tuple[Any, float]:
        proc = ctx.Process(target=_worker, args=(host, port, options), daemon=False)
        proc.start()
        return proc, time.monotonic()

    def on_signal(signum: int, _frame: Any) -> None:
        if not stopping:
            stopping.append(signum)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    procs = [start() for _ in range(workers)]
    restarts: list[float] = []
    status = 0
    try:
        while not stopping:
            time.sleep(0.2)
            for i, (proc, started) in enumerate(procs):
                if proc.is_alive() or stopping:
                    continue
                now = time.monotonic()
                restarts = [t for t in restarts if now - t < 60]
                failed = proc.exitcode == _STARTUP_FAILURE or now - started < _QUICK_DEATH_S
                if failed or len(restarts) >= _MAX_RESTARTS:
                    log.error(
                        "a worker exited with %s (startup failure or restart loop): stopping", proc.exitcode
                    )
                    stopping.append(signal.SIGTERM)
                    status = 1
                    break
                log.error("worker %s exited with %s: restarting it", proc.pid, proc.exitcode)
                restarts.append(now)
                procs[i] = start()
        for proc, _ in procs:
            if proc.is_alive() and proc.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGTERM)  # one signal: each worker drains, then exits
        deadline = time.monotonic() + settings.drain_timeout_s + 15
        for proc, _ in procs:
            proc.join(max(0.1, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join(5)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        holder.close()
        shutil.rmtree(shared, ignore_errors=True)
    return status
