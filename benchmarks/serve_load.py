"""Load test of `healthfm serve` on loopback: micro-batched vs one forward pass per request.

Builds (once, under --workdir) a virtual cohort, a small fine-tuned model registered in the catalog and
an API key; starts `healthfm serve` as a child process per mode; 50 keep-alive clients post
`{"subject": ...}` to POST /v1/predict (no full explanation) for a bounded number of requests and time.
Two workloads: repeat predictions (the record and the prediction time unchanged, so the processed
inputs and encoder outputs are cached: fusion, head and contributors still run per request) and, in the
`-cold` modes, every request at a prediction time of its own (nothing cached applies: processors,
encoders, fusion). Prints a table and writes benchmarks/results/serve_load.json.

    python benchmarks/serve_load.py [--clients 50] [--requests 4000] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "serve_load.json"
MODEL = "cardiac_disease"
HEALTHFM = [sys.executable, "-m", "healthfm"]
COLD_FROM = dt.datetime(2031, 1, 1)  # after every record's end: the whole record is visible


def prepare(work: Path, patients: int, epochs: int) -> tuple[Path, str, list[int]]:
    """Cohort → store → fine-tuned tiny model registered in the store's catalog; an API key."""
    import torch

    from healthfm.datasets import fetch
    from healthfm.ingest.pipeline import ingest
    from healthfm.privacy.gate import PrivacyGate
    from healthfm.store.patient_store import PatientStore
    from healthfm.synth.writer import SynthConfig, synthesize
    from healthfm.train.finetune import finetune
    from healthfm.train.loop import TrainConfig

    sys.path.insert(0, str(ROOT))
    from tests.model.conftest import tiny_config

    torch.set_num_threads(1)
    store_dir = work / "store"
    key_path = work / "api.key"
    if not (work / "ready").exists():
        shutil.rmtree(work, ignore_errors=True)
        fetch()
        synthesize(SynthConfig(patients=patients, seed=5, out=work / "export", workers=1), force=True)
        (work / "pseudonym.key").write_text("b" * 40)
        with PatientStore.open(store_dir) as store:
            ingest([work / "export"], store, gate=PrivacyGate(b"b" * 40))
            cfg = dataclasses.replace(
                tiny_config(MODEL), train=TrainConfig(epochs=epochs, batch_size=16, lr=3e-3, patience=10)
            )
            finetune(store, cfg, work / "run")
            version = store.catalog.list_models(MODEL)[-1].version
            store.catalog.set_model_status(MODEL, version, "active")
        out = subprocess.run(
            [
                *HEALTHFM,
                "--store",
                str(store_dir),
                "serve",
                "keys",
                "issue",
                "--site",
                "*",
                "--scope",
                "system/RiskAssessment.write",
                "--scope",
                "patient/*.read",
                "--scope",
                "metrics",
                "--name",
                "load test",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        key_path.write_text(out.stdout.strip())
        (work / "ready").write_text("ok")
    with PatientStore.open(store_dir, create=False) as store:
        subjects = [int(s) for s in store.subjects()]
    return store_dir, key_path.read_text().strip(), subjects


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(store: Path, port: int, extra: list[str]) -> subprocess.Popen[bytes]:
    # one integration key sends everything: its rate limit is raised for the test (default 100/s)
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "HEALTHFM_SERVE_RATE_PER_MINUTE": "1000000",
        "HEALTHFM_SERVE_RATE_BURST": "10000",
    }
    proc = subprocess.Popen(
        [*HEALTHFM, "--store", str(store), "serve", "--model", MODEL, "--port", str(port), *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(600):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                s.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if b" 200 " in s.recv(200):
                    return proc
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not become ready")


async def _client(
    port: int,
    key: str,
    subjects: list[int],
    budget: dict[str, Any],
    out: list[tuple[float, int]],
    seed: int,
    rate: float | None = None,
    cold: bool = False,
) -> None:
    """One keep-alive connection. With `rate` (requests/s for this client) requests are sent on a
    Poisson schedule and latency counts from the scheduled time (no coordinated omission); without it
    the client sends the next request as soon as the last answer arrives (closed loop, saturation)."""
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    next_at = time.perf_counter()
    try:
        while budget["left"] > 0 and time.monotonic() < budget["end"]:
            budget["left"] -= 1
            if rate is not None:
                next_at += rng.expovariate(rate)
                await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            body = json.dumps({"subject": str(rng.choice(subjects))}).encode()
            path = "/v1/predict"
            if cold:  # a prediction time of its own: nothing cached applies (after every record's end)
                budget["sent"] += 1
                path += (
                    f"?at=2031-01-01T00:00:{budget['sent'] // 1_000_000:02d}.{budget['sent'] % 1_000_000:06d}"
                )
            request = (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {key}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            t0 = next_at if rate is not None else time.perf_counter()
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
            out.append((time.perf_counter() - t0, status))
    except (OSError, asyncio.IncompleteReadError) as exc:
        out.append((float("nan"), -1))
        print(f"client error: {exc!r}", file=sys.stderr)
    finally:
        writer.close()


async def load(
    port: int,
    key: str,
    subjects: list[int],
    clients: int,
    requests: int,
    seconds: float,
    rate: float | None = None,
    cold: bool = False,
) -> dict[str, Any]:
    out: list[tuple[float, int]] = []
    budget = {"left": requests, "end": time.monotonic() + seconds, "sent": 0}
    t0 = time.perf_counter()
    per_client = None if rate is None else rate / clients
    await asyncio.gather(
        *(_client(port, key, subjects, budget, out, i, per_client, cold) for i in range(clients))
    )
    wall = time.perf_counter() - t0
    lat = np.array([t for t, s in out if s == 200]) * 1000
    errors = sum(1 for _, s in out if s != 200)
    return {
        "requests": len(out),
        "ok": len(lat),
        "errors": errors,
        "error_rate": errors / max(1, len(out)),
        "seconds": round(wall, 2),
        "offered_per_s": rate,
        "throughput_per_s": round(len(lat) / wall, 1),
        "p50_ms": round(float(np.percentile(lat, 50)), 2) if len(lat) else None,
        "p90_ms": round(float(np.percentile(lat, 90)), 2) if len(lat) else None,
        "p99_ms": round(float(np.percentile(lat, 99)), 2) if len(lat) else None,
        "max_ms": round(float(lat.max()), 2) if len(lat) else None,
    }


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of a process and its descendants (the server's workers), from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def scrape(port: int, key: str) -> dict[str, float]:
    import urllib.request

    req = urllib.request.Request(f"http://127.0.0.1:{port}/metrics", headers={"X-API-Key": key})
    text = urllib.request.urlopen(req, timeout=10).read().decode()
    found = {}
    for name in ("healthfm_batch_size_sum", "healthfm_batch_size_count", "healthfm_review_queue_length"):
        m = re.search(rf"^{name} ([0-9.e+-]+)$", text, re.M)
        found[name] = float(m.group(1)) if m else float("nan")
    return found


def run_mode(
    name: str, extra: list[str], store: Path, key: str, subjects: list[int], args: argparse.Namespace
) -> dict[str, Any]:
    port = free_port()
    proc = start_server(store, port, extra)
    try:
        cold = name.endswith("-cold")
        # warm up: every worker process has its own caches, so each gets about `--warmup` requests
        workers = int(extra[extra.index("--workers") + 1]) if "--workers" in extra else 1
        asyncio.run(load(port, key, subjects, args.clients, args.warmup * workers, 120))
        result: dict[str, Any] = {"mode": name, "server_args": extra, "every_request_cold": cold}
        phases = [(f"open_loop_{r:g}", r) for r in args.rates] + [("closed_loop", None)]
        for phase, rate in phases:
            before = scrape(port, key)
            load_before = os.getloadavg()
            server_cpu, own_cpu = tree_cpu_s(proc.pid), time.process_time()
            measured = asyncio.run(
                load(port, key, subjects, args.clients, args.requests, args.seconds, rate, cold)
            )
            server_cpu, own_cpu = tree_cpu_s(proc.pid) - server_cpu, time.process_time() - own_cpu
            after = scrape(port, key)
            batches = after["healthfm_batch_size_count"] - before["healthfm_batch_size_count"]
            items = after["healthfm_batch_size_sum"] - before["healthfm_batch_size_sum"]
            measured |= {
                "mean_batch": round(items / batches, 2) if batches else None,
                "review_queue_length": after["healthfm_review_queue_length"],
                "loadavg_before": [round(x, 2) for x in load_before],
                "loadavg_after": [round(x, 2) for x in os.getloadavg()],
                # where the two cores went: the server (all its processes) and this load generator
                "server_cpu_ms_per_request": round(1000 * server_cpu / max(1, measured["requests"]), 2),
                "loadgen_cpu_ms_per_request": round(1000 * own_cpu / max(1, measured["requests"]), 2),
            }
            result[phase] = measured
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
    result["shutdown_exit_code"] = proc.returncode
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=ROOT / "runs" / "bench" / "serve")
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=int, default=1000, help="warm-up requests per server process")
    parser.add_argument(
        "--rates",
        type=lambda text: [float(x) for x in text.split(",")],
        default=[200.0, 100.0],
        help="offered loads (requests/s) of the open-loop phases",
    )
    parser.add_argument(
        "--modes",
        default="microbatch,microbatch-2workers,plain,microbatch-cold,plain-cold,microbatch-nocontrib",
    )
    args = parser.parse_args()
    store, key, subjects = prepare(args.workdir, args.patients, args.epochs)
    modes = {
        "microbatch": [],
        "microbatch-2workers": ["--workers", "2"],
        "plain": ["--plain"],
        "microbatch-cold": [],  # every request at a prediction time of its own (no cache applies)
        "plain-cold": ["--plain"],
        "microbatch-nocache": ["--item-cache", "0"],
        "plain-nocache": ["--plain", "--item-cache", "0"],
        "microbatch-shapley": ["--contributors", "shapley"],
        "microbatch-nocontrib": ["--contributors", "none"],
        "plain-nocontrib": ["--plain", "--contributors", "none"],
    }
    results = []
    for name in args.modes.split(","):
        print(f"running {name} …", file=sys.stderr)
        results.append(run_mode(name, modes[name], store, key, subjects, args))
    header = (
        f"{'mode':<22} {'load':<12} {'req':>6} {'err %':>6} {'req/s':>7} {'p50 ms':>7} {'p90 ms':>7} "
        f"{'p99 ms':>7} {'batch':>6} {'srv cpu':>8}"
    )
    print(header)
    for r in results:
        for phase in [k for k in r if k.startswith(("open_loop", "closed_loop"))]:
            m = r[phase]
            what = f"{m['offered_per_s']:.0f}/s offered" if m["offered_per_s"] else "saturation"
            print(
                f"{r['mode']:<22} {what:<12} {m['requests']:>6} {100 * m['error_rate']:>6.2f} "
                f"{m['throughput_per_s']:>7} {m['p50_ms']!s:>7} {m['p90_ms']!s:>7} {m['p99_ms']!s:>7} "
                f"{m['mean_batch']!s:>6} {m['server_cpu_ms_per_request']!s:>8}"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "machine": {
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                    "python": platform.python_version(),
                },
                "setup": {
                    "patients": len(subjects),
                    "clients": args.clients,
                    "requests_per_phase": args.requests,
                    "open_loop_rates_per_s": args.rates,
                    "seconds_cap": args.seconds,
                    "warmup_requests": args.warmup,
                    "model": "tiny five-modality model (tests/model/conftest.py tiny_config)",
                },
                "results": results,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {RESULTS}", file=sys.stderr)


if __name__ == "__main__":
    main()
