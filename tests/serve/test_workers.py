"""Several server processes (`healthfm serve --workers N`): one rate limit per credential across them,
one served version (an activation in one worker reaches the others), metrics summed over workers."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from healthfm.serve.app import create_app
from healthfm.serve.shared import SharedRateLimiter, make_shared_dir
from tests.serve.conftest import MODEL, Served
from tests.serve.helpers import auth
from tests.serve.test_shutdown import _port

TAKE = """
import sys
from healthfm.serve.shared import SharedRateLimiter
limiter = SharedRateLimiter(sys.argv[1], per_minute=1, burst=5)
print(sum(limiter.take("key:abc") == 0 for _ in range(3)))
"""


def test_a_credentials_bucket_is_shared_by_processes(tmp_path: Path) -> None:
    path = tmp_path / "buckets"
    here = SharedRateLimiter(path, per_minute=1, burst=5)  # a token a minute
    assert here.take("key:abc") == 0  # 4 tokens left
    out = subprocess.run([sys.executable, "-c", TAKE, str(path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "3"  # the other process took 3 of them
    assert here.take("key:abc") == 0  # the last one
    wait = here.take("key:abc")
    assert 30 < wait <= 60  # empty: the next token comes within a minute
    assert here.take("key:other") == 0  # another credential has its own bucket
    here.close()


def test_the_bucket_table_evicts_the_stalest_when_full(tmp_path: Path, monkeypatch: Any) -> None:
    import healthfm.serve.shared as shared

    monkeypatch.setattr(shared, "_SLOTS", 4)
    limiter = SharedRateLimiter(tmp_path / "b", per_minute=60, burst=1)
    for who in ("a", "b", "c", "d"):
        assert limiter.take(who) == 0
    assert limiter.take("a") > 0  # still tracked: empty
    assert limiter.take("e") == 0  # a fifth credential takes the stalest slot ("b", "c" or "d")
    assert limiter.take("a") > 0  # "a" was used last, so it kept its slot
    limiter.close()


def test_an_activation_in_one_worker_reaches_the_others(served: Served) -> None:
    from fastapi.testclient import TestClient

    shared = make_shared_dir()
    settings = served.settings(extra={"shared_dir": str(shared), "csrf_key": "ab" * 32})
    key = served.key("*", "system/RiskAssessment.write", "patient/*.read")
    admin = served.key("*", "admin")
    sid = next(iter(served.sites.values()))[0]

    def version(client: Any) -> str:
        r = client.post("/v1/predict", json={"subject": str(sid)}, headers=auth(key))
        assert r.status_code == 200, r.text
        return str(r.json()["method"]["coding"][0]["version"])

    try:
        with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
            assert version(one) == version(two) == "1"
            swap = one.post(f"/v1/models/{MODEL}/activate", json={"version": 2}, headers=auth(admin))
            assert swap.status_code == 200, swap.text
            assert version(one) == "2"
            deadline = time.monotonic() + 10
            while version(two) != "2":
                assert time.monotonic() < deadline, "the other worker did not follow the activation"
                time.sleep(0.2)
            with served.catalog() as cat:
                follow = cat.audit_entries(action="serve.models.follow")[0]
            assert follow.details == {"model": MODEL, "from": 1, "to": 2}
            # a worker (re)started now serves the activated version, not the one in its settings
            with TestClient(create_app(settings)) as three:
                assert version(three) == "2"
            back = two.post(f"/v1/models/{MODEL}/activate", json={"version": 1}, headers=auth(admin))
            assert back.status_code == 200
            deadline = time.monotonic() + 10
            while version(one) != "1":
                assert time.monotonic() < deadline
                time.sleep(0.2)
    finally:
        import shutil

        shutil.rmtree(shared, ignore_errors=True)


def _get(port: int, path: str, key: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"X-API-Key": key})
        r = conn.getresponse()
        return r.status, r.read().decode()
    finally:
        conn.close()


def _predict_on_one_connection(port: int, key: str, subjects: list[int], n: int) -> list[int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    statuses = []
    try:
        for i in range(n):
            body = json.dumps({"subject": str(subjects[i % len(subjects)])})
            conn.request("POST", "/v1/predict", body, {"X-API-Key": key, "Content-Type": "application/json"})
            r = conn.getresponse()
            r.read()
            statuses.append(r.status)
    finally:
        conn.close()
    return statuses


def test_two_worker_processes(served: Served, tmp_path: Path) -> None:
    key = served.key("*", "system/RiskAssessment.write", "patient/*.read")
    scraper = served.key("*", "metrics")  # its own bucket
    port = _port()
    with served.catalog() as cat:
        started_before = len(cat.audit_entries(action="serve.start"))
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "TMPDIR": str(tmp_path),  # where the workers' shared folder is made
        "HEALTHFM_SERVE_RATE_PER_MINUTE": "60",  # 1 per second for the whole server, not per worker
        "HEALTHFM_SERVE_RATE_BURST": "30",
    }
    command = [sys.executable, "-m", "healthfm", "--store", str(served.store.root), "serve"]
    command += ["--model", MODEL, "--port", str(port), "--catalog-url", served.catalog_url, "--workers", "2"]
    log = tmp_path / "server.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=sink)
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, log.read_text()
            try:
                if _get(port, "/readyz", scraper)[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the workers did not become ready"
            time.sleep(0.2)
        subjects = next(iter(served.sites.values()))
        # several connections (each goes to one worker): 24 predictions in all
        statuses = [s for _ in range(4) for s in _predict_on_one_connection(port, key, subjects, 6)]
        assert statuses == [200] * 24
        # the burst of 30 is shared: 6 more pass at most (plus the tokens refilled meanwhile)
        more = _predict_on_one_connection(port, key, subjects, 30)
        assert 429 in more and more.count(200) < 20, more
        status, text = _get(port, "/metrics", scraper)
        assert status == 200
        total = sum(
            float(v) for v in re.findall(r"^healthfm_predictions_total\{[^}]*\} ([0-9.e+]+)$", text, re.M)
        )
        assert total == 24 + more.count(200)  # summed over both workers, whichever answered the scrape
        with served.catalog() as cat:
            starts = cat.audit_entries(action="serve.start")
        assert len(starts) == started_before + 2  # one per worker
        shared = list(tmp_path.glob("healthfm-serve-*"))
        assert len(shared) == 1
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(90)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail("the server did not stop on SIGINT")
    assert not list(tmp_path.glob("healthfm-serve-*"))  # the shared folder is removed at exit
    assert "Traceback" not in log.read_text()


def test_a_port_in_use_or_a_missing_model_fails_before_any_worker_starts(served: Served) -> None:
    import socket

    command = [sys.executable, "-m", "healthfm", "--store", str(served.store.root), "serve"]
    command += ["--catalog-url", served.catalog_url, "--workers", "2"]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        out = subprocess.run(
            [*command, "--model", MODEL, "--port", str(port)], capture_output=True, text=True
        )
    assert out.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in out.stderr
    out = subprocess.run(
        [*command, "--model", "no_such_model", "--port", str(_port())], capture_output=True, text=True
    )
    assert out.returncode != 0
    assert "no_such_model" in out.stderr and "Traceback" not in out.stderr
