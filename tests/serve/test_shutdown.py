"""`healthfm serve` as a process: SIGTERM drains requests in flight; SIGKILL mid-load leaves the catalog
consistent (an intact audit chain, every review item with its audit entry)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.serve.conftest import MODEL, Served


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(served: Served, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HEALTHFM_SERVE_REVIEW_RISK_ABOVE": "0"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "healthfm",
            "--store",
            str(served.store.root),
            "serve",
            "--model",
            MODEL,
            "--port",
            str(port),
            "--catalog-url",
            served.catalog_url,
            "--key-file",
            str(served.key_file),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(600):
        if proc.poll() is not None:
            raise AssertionError(f"the server exited with {proc.returncode}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.1)
    proc.kill()
    raise AssertionError("the server did not become ready")


def _predict(port: int, key: str, sid: int) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        body = json.dumps({"subject": str(sid)})
        conn.request("POST", "/v1/predict", body, {"X-API-Key": key, "Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return -1
    finally:
        conn.close()


def _consistent(served: Served) -> dict[str, Any]:
    with served.catalog() as cat:
        chain = cat.verify_audit_chain()
        enqueued = {e.details["review_id"] for e in cat.audit_entries(action="review.enqueued")}
        items = {i.id for i in cat.review_items()}
    assert chain.ok, chain.reason
    assert items == enqueued  # no item without its entry, no entry without its item
    return {"entries": chain.n_entries, "items": len(items)}


def test_sigterm_drains_requests_in_flight(served: Served) -> None:
    key = served.key("*", "system/RiskAssessment.write", "patient/*.read")
    port = _port()
    proc = _start(served, port)
    subjects = served.sites["Cleveland"]
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(_predict, port, key, subjects[i % len(subjects)]) for i in range(8)]
        time.sleep(0.05)  # requests are in flight
        proc.send_signal(signal.SIGTERM)
        statuses = [f.result() for f in futures]
    # uvicorn drains, runs the lifespan shutdown, then re-raises SIGTERM so the exit status tells
    assert proc.wait(60) in (0, -signal.SIGTERM)
    assert all(s in (200, -1) for s in statuses), statuses  # answered, or refused before acceptance
    assert statuses.count(200) >= 1
    _consistent(served)
    with served.catalog() as cat:
        assert cat.audit_entries(limit=1)[0].action == "serve.stop"


def test_a_crash_leaves_the_catalog_consistent(served: Served) -> None:
    key = served.key("*", "system/RiskAssessment.write", "patient/*.read")
    port = _port()
    proc = _start(served, port)
    subjects = served.sites["Hungary"]
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(_predict, port, key, subjects[i % len(subjects)]) for i in range(64)]
        time.sleep(0.5)
        proc.kill()  # SIGKILL: no drain, no cleanup
        proc.wait(30)
        statuses = [f.result() for f in futures]
    assert 200 in statuses
    before = _consistent(served)
    proc = _start(served, port)  # the catalog opens and serves again
    try:
        assert _predict(port, key, subjects[0]) == 200
    finally:
        proc.terminate()
        proc.wait(60)
    assert _consistent(served)["entries"] > before["entries"]
