"""Encoder speed on CPU: forward+backward for a batch of 32 realistic inputs, and batch-of-1 inference.

    python benchmarks/encoder_speed.py [--preset small] [--batch 32] [--repeats 5]

Prints a table and writes benchmarks/results/encoder_speed.json. The budget these numbers serve: the default
model fine-tunes on 2,000 patients in <= 5 minutes on a 2-core CPU, inference p50 <= 20 ms per patient.
Times are the minimum (train) and median (inference) over repeats, so other load on the machine inflates them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

import healthfm.encoders as enc
from healthfm.encoders.base import Encoder
from healthfm.schema import ModalityInput

OUT = Path(__file__).resolve().parent / "results" / "encoder_speed.json"


def _events(b: int, g: torch.Generator) -> dict[str, torch.Tensor]:
    length = 256
    n = torch.randint(64, length + 1, (b,), generator=g)  # real tokens per row
    mask = torch.arange(length)[None, :] < n[:, None]
    return {
        "codes": torch.randint(2, 2000, (b, length), generator=g) * mask,
        "values": torch.randn(b, length, generator=g),
        "has_value": torch.rand(b, length, generator=g) < 0.5,
        "delta_days": torch.rand(b, length, generator=g) * 3650,
        "age_years": 20 + torch.rand(b, length, generator=g) * 60,
        "token_mask": mask,
    }


def _tabular(b: int, g: torch.Generator) -> dict[str, torch.Tensor]:
    return {
        "numeric": torch.randn(b, 30, generator=g),
        "numeric_present": torch.rand(b, 30, generator=g) < 0.7,
        "categorical": torch.randint(0, 8, (b, 10), generator=g),
    }


def _text(length: int) -> Callable[[int, torch.Generator], dict[str, torch.Tensor]]:
    def make(b: int, g: torch.Generator) -> dict[str, torch.Tensor]:
        ids = torch.randint(1000, 29000, (b, length), generator=g)
        ids[:, 0] = 101  # [CLS]
        return {"input_ids": ids, "attention_mask": torch.ones(b, length, dtype=torch.long)}

    return make


def _image(size: tuple[int, ...]) -> Callable[[int, torch.Generator], dict[str, torch.Tensor]]:
    return lambda b, g: {"pixels": torch.randn(b, 1, *size, generator=g)}


def _signal(n: int) -> Callable[[int, torch.Generator], dict[str, torch.Tensor]]:
    return lambda b, g: {
        "signal": torch.randn(b, 12, n, generator=g),
        "lead_mask": torch.ones(b, 12, dtype=torch.bool),
    }


def _inp(values: dict[str, torch.Tensor]) -> ModalityInput:
    b = next(iter(values.values())).shape[0]
    return ModalityInput(values=values, mask=torch.ones(b, dtype=torch.bool))


def train_step_s(model: Encoder, make: Callable[..., dict[str, torch.Tensor]], b: int, repeats: int) -> float:
    """Min over repeats of one forward+backward; the same rows each time (so a text cache hits after one)."""
    g = torch.Generator().manual_seed(0)
    inp = _inp(make(b, g))
    model.train()
    times = []
    for _ in range(repeats + 1):  # the first is a warm-up
        t = time.perf_counter()
        out = model(inp)
        (out.pooled.square().mean() + out.tokens.square().mean()).backward()
        times.append(time.perf_counter() - t)
        model.zero_grad(set_to_none=True)
    return min(times[1:])


def first_step_s(model: Encoder, make: Callable[..., dict[str, torch.Tensor]], b: int) -> float:
    """One forward+backward on rows never seen before (a text cache misses)."""
    g = torch.Generator().manual_seed(1)
    inp = _inp(make(b, g))
    model.train()
    t = time.perf_counter()
    out = model(inp)
    (out.pooled.square().mean() + out.tokens.square().mean()).backward()
    model.zero_grad(set_to_none=True)
    return time.perf_counter() - t


def infer_p50_ms(model: Encoder, make: Callable[..., dict[str, torch.Tensor]], repeats: int) -> float:
    """Median batch-of-1 inference on fresh rows (no cache hit)."""
    g = torch.Generator().manual_seed(2)
    model.eval()
    times = []
    with torch.inference_mode():
        for _ in range(max(repeats, 5) * 3):
            inp = _inp(make(1, g))
            t = time.perf_counter()
            model(inp)
            times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times[2:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="small")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.manual_seed(0)
    p = args.preset

    img_size = enc.ImageConfig.from_dict(enc.ImageEncoder.PRESETS[p]).img_size
    signal_n = enc.SignalConfig.from_dict(enc.SignalEncoder.PRESETS[p]).n_samples
    cases: list[tuple[str, Callable[[], Encoder], Callable[..., dict[str, torch.Tensor]]]] = [
        ("events L=256", lambda: enc.EventsEncoder.from_preset(p, vocab_size=2000), _events),
        (
            "tabular 30+10",
            lambda: enc.TabularEncoder.from_preset(p, n_numeric=30, categorical_cardinalities=[8] * 10),
            _tabular,
        ),
        ("text 256 cached", lambda: enc.TextEncoder.from_preset(p), _text(256)),
        ("text 256 uncached", lambda: enc.TextEncoder.from_preset(p, cache_size=0), _text(256)),
        ("text 128 uncached", lambda: enc.TextEncoder.from_preset(p, cache_size=0), _text(128)),
        ("image " + "x".join(map(str, img_size)), lambda: enc.ImageEncoder.from_preset(p), _image(img_size)),
        ("signal 12x" + str(signal_n), lambda: enc.SignalEncoder.from_preset(p), _signal(signal_n)),
    ]
    rows: list[dict[str, Any]] = []
    print(f"preset={p} batch={args.batch} threads={torch.get_num_threads()} ({platform.machine()})")
    print(f"{'encoder':<20}{'params':>12}{'trainable':>12}{'fwd+bwd s':>11}{'first s':>9}{'infer b1 ms':>13}")
    for label, build, make in cases:
        model = build()
        n_params = sum(x.numel() for x in model.parameters())
        n_train = sum(x.numel() for x in model.parameters() if x.requires_grad)
        first = first_step_s(model, make, args.batch)
        step = train_step_s(model, make, args.batch, args.repeats)
        infer = infer_p50_ms(model, make, args.repeats)
        rows.append(
            {
                "encoder": label,
                "params": n_params,
                "trainable_params": n_train,
                "train_step_s": round(step, 4),
                "first_step_s": round(first, 4),
                "infer_b1_p50_ms": round(infer, 2),
            }
        )
        print(f"{label:<20}{n_params:>12,}{n_train:>12,}{step:>11.3f}{first:>9.3f}{infer:>13.1f}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "preset": p,
        "batch": args.batch,
        "threads": torch.get_num_threads(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "torch": torch.__version__,
        "rows": rows,
    }
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
