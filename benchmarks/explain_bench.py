"""Explanation benchmark (issue 9): one patient's full explanation with the default model, on this machine.

    python benchmarks/explain_bench.py [--run runs/demo/model] [--store runs/demo/store] [--patients 8]
                                       [--naive-patients 2]

Per held-out patient of the run's task: Integrated Gradients per modality (adaptive steps until
completeness holds within 1 %), exact modality Shapley values, the fusion attention map, the
counterfactual search, the figures, and the total. Baselines in the same run, on the first
`--naive-patients` patients: Integrated Gradients with a fixed 200 steps through the whole model (every
encoder rerun per step, no reuse of the other modalities' encoder outputs), and Shapley values from one full
model pass per coalition. The model-randomisation sanity check, which runs once per run folder, is timed
apart. Target: one patient's full explanation ≤ 2 s. Prints a table and writes
benchmarks/results/explain.json.

The run folder is copied to a temporary folder (the sanity check caches its result in the run folder) and
the store is only read.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
NAIVE_STEPS = 200


def naive_ig_seconds(pred: Any, modality: Any) -> tuple[float, float]:
    """Integrated Gradients with fixed steps through the whole model: (seconds, completeness error)."""
    from captum.attr import IntegratedGradients, LayerIntegratedGradients

    from healthfm.explain.core import gradients_through_text
    from healthfm.explain.integrated import _spec
    from healthfm.schema import Batch, ModalityInput

    spec = _spec(pred, modality)  # the same inputs, baselines and layer; only the forward differs
    keys = list(pred.batch.inputs[modality].values)
    names = {  # the tensors the spec attributes, in its order
        "events": ["codes", "values", "has_value", "delta_days", "age_years", "token_mask"],
        "tabular": ["numeric", "numeric_present", "categorical"],
        "text": ["input_ids", "attention_mask"],
        "image": ["pixels"],
        "signal": ["signal", "lead_mask"],
    }[modality.value]
    assert set(names) == set(keys)
    model = pred.model

    def forward(*tensors: torch.Tensor) -> torch.Tensor:
        n = int(tensors[0].shape[0])
        inputs = {
            m: ModalityInput(
                {k: v.expand(n, *v.shape[1:]) for k, v in inp.values.items()}, inp.mask.expand(n)
            )
            for m, inp in pred.batch.inputs.items()
        }
        inputs[modality] = ModalityInput(
            dict(zip(names, tensors, strict=True)), torch.ones(n, dtype=torch.bool)
        )
        logits = model(Batch(pred.batch.subject_ids.expand(n), inputs)).logits
        return pred.target.score(model, logits)

    method: Any = (
        IntegratedGradients(forward) if spec.layer is None else LayerIntegratedGradients(forward, spec.layer)
    )
    inputs = spec.inputs if len(spec.inputs) > 1 else spec.inputs[0]
    baselines = spec.baselines if len(spec.baselines) > 1 else spec.baselines[0]
    t = time.perf_counter()
    # the model as it runs (its frozen text backbone reads its cache) unless the notes are attributed
    with gradients_through_text(model) if modality.value == "text" else contextlib.nullcontext():
        attr = method.attribute(
            inputs,
            baselines=baselines,
            additional_forward_args=spec.extra or None,
            n_steps=NAIVE_STEPS,
            internal_batch_size=64,
        )
        with torch.no_grad():
            gap = float(forward(*spec.inputs, *spec.extra)[0] - forward(*spec.baselines, *spec.extra)[0])
    seconds = time.perf_counter() - t
    values = spec.reduce(attr[0] if isinstance(attr, tuple | list) else attr)
    return seconds, abs(float(values.sum()) - gap) / max(abs(gap), 0.1)


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run", type=Path, default=ROOT / "runs/demo/model")
    parser.add_argument("--store", type=Path, default=ROOT / "runs/demo/store")
    parser.add_argument("--patients", type=int, default=8)
    parser.add_argument("--naive-patients", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    from healthfm.explain import attention_map, explain_sample, find_sample, run_sanity
    from healthfm.explain.core import Prediction
    from healthfm.explain.shapley import modality_shapley_by_forward
    from healthfm.store.patient_store import PatientStore
    from healthfm.train.runs import load_run

    tmp = Path(tempfile.mkdtemp(prefix="explain-bench-"))
    run = tmp / "run"
    run.mkdir()
    for name in ("best", "processors.json", "task.yaml", "run.json", "predictions_held_out.parquet"):
        src = args.run / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, run / name)
    (model, processors, task), load_s = timed(lambda: load_run(run))
    model.eval()
    store = PatientStore.open(args.store, create=False, catalog_url=f"sqlite:///{tmp / 'catalog.sqlite'}")
    sanity, sanity_s = timed(lambda: run_sanity(run, model, processors, task, store))

    samples = []
    for sid in store.subjects("held_out"):
        try:
            samples.append(find_sample(task, store, int(sid)))
        except Exception:  # no prediction time for this task
            continue
        if len(samples) == args.patients + 1:
            break
    out_root = tmp / "out"
    explain_sample(model, processors, task, store, samples[0], out_dir=out_root / "warmup", sanity=sanity)
    rows: list[dict[str, Any]] = []
    for s in samples[1:]:
        expl, wall = timed(
            lambda s=s: explain_sample(
                model, processors, task, store, s, out_dir=out_root / str(s.subject_id), sanity=sanity
            )
        )
        row = {k: v for k, v in expl.timings.items()}
        row["wall"] = wall
        if expl.attention is None:  # left out by the sanity check: time it anyway, it is cheap
            assert expl.prediction is not None
            _, row["attention"] = timed(lambda p=expl.prediction: attention_map(p))
        row["modalities"] = len(expl.present)
        row["steps"] = {m.value: a.raw.steps for m, a in expl.attributions.items()}
        row["completeness_error"] = {m.value: a.raw.relative_error for m, a in expl.attributions.items()}
        row["converged"] = all(a.raw.converged for a in expl.attributions.values())
        row["counterfactual_status"] = None if expl.counterfactual is None else expl.counterfactual.status
        rows.append(row)

    naive: list[dict[str, Any]] = []
    for s in samples[1 : 1 + args.naive_patients]:
        visible = task.visible(store.timeline(s.subject_id), s)
        pred = Prediction.build(model, processors, s, visible, store.blobs, class_names=task.class_names)
        entry: dict[str, Any] = {}
        for m in pred.present:
            entry[f"integrated_gradients/{m.value}"], entry[f"error/{m.value}"] = naive_ig_seconds(pred, m)
        _, entry["modality_shapley"] = timed(lambda pred=pred: modality_shapley_by_forward(pred))
        naive.append(entry)

    components = sorted(
        {k for r in rows for k in r if k.startswith("integrated_gradients/")},
        key=lambda k: ["events", "tabular", "text", "image", "signal"].index(k.split("/")[1]),
    )
    components += [
        "modality_shapley",
        "attention",
        "counterfactual",
        "prepare",
        "explain_total",
        "figures",
        "wall",
    ]

    def stats(values: list[float]) -> dict[str, float]:
        a = np.asarray(values) * 1000
        return {"p50_ms": float(np.median(a)), "p95_ms": float(np.percentile(a, 95)), "n": int(a.size)}

    table = {c: stats([r[c] for r in rows if c in r]) for c in components}
    naive_table = {
        c: stats([n[c] for n in naive if c in n]) for c in components if any(c in n for n in naive)
    }
    print(f"explanations of {len(rows)} held-out patients, {args.run} ({torch.get_num_threads()} thread)")
    print(f"{'component':34s} {'p50 ms':>9s} {'p95 ms':>9s}   {'naive p50 ms':>12s}")
    for c in components:
        naive_p50 = f"{naive_table[c]['p50_ms']:12.0f}" if c in naive_table else " " * 12
        print(f"{c:34s} {table[c]['p50_ms']:9.0f} {table[c]['p95_ms']:9.0f}   {naive_p50}")
    naive_ig = [sum(v for k, v in n.items() if k.startswith("integrated_gradients/")) for n in naive]
    fast_ig = [
        sum(v for k, v in r.items() if k.startswith("integrated_gradients/")) for r in rows[: len(naive)]
    ]
    print(
        f"all IG: {np.median(fast_ig) * 1000:.0f} ms adaptive vs {np.median(naive_ig) * 1000:.0f} ms naive "
        f"({NAIVE_STEPS} steps, full model)"
    )
    print(
        f"sanity check (once per run, {sanity.samples} patients): {sanity_s:.1f} s; flagged: "
        f"{sorted(sanity.flagged()) or 'none'}; model load {load_s:.1f} s"
    )
    errors = [v for n in naive for k, v in n.items() if k.startswith("error/")]
    print(f"naive IG completeness error: max {max(errors):.2%} of max(|F(x) - F(baseline)|, 0.1)")
    converged = sum(r["converged"] for r in rows)
    print(
        f"completeness within tolerance: {converged}/{len(rows)} patients; steps used: "
        + ", ".join(
            f"{m} {sorted({r['steps'][m] for r in rows if m in r['steps']})}" for m in rows[0]["steps"]
        )
    )

    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "benchmark": "explain",
        "date": dt.date.today().isoformat(),
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "threads": torch.get_num_threads(),
            "python": sys.version.split()[0],
            "torch": torch.__version__,
            "load_average_at_end": os.getloadavg(),
        },
        "run": str(args.run),
        "patients": len(rows),
        "components_ms": table,
        "naive_ms": naive_table,
        "naive": {"ig_steps": NAIVE_STEPS, "per_patient": naive},
        "all_ig_ms": {
            "adaptive_p50": float(np.median(fast_ig) * 1000),
            "naive_p50": float(np.median(naive_ig) * 1000),
        },
        "sanity_check_s": sanity_s,
        "sanity": sanity.to_dict(),
        "model_load_s": load_s,
        "per_patient": rows,
        "target_ms": 2000,
    }
    (RESULTS / "explain.json").write_text(json.dumps(result, indent=1, default=str) + "\n")
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"wrote {RESULTS / 'explain.json'}")


if __name__ == "__main__":
    main()
