"""The models `evaluate` trains beside the run, on the same split and with the same recipe: each
single modality, early and late fusion, and the fairness mitigation (reweighing)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from healthfm.evaluate.predict import Predictions, predict
from healthfm.model import FoundationModel
from healthfm.schema import Modality
from healthfm.store.patient_store import PatientStore
from healthfm.train.finetune import FinetuneConfig, PreparedData, finetune
from healthfm.train.loop import ProgressSink
from healthfm.train.runs import RUN_FILE

VARIANTS_DIR = "variants"


@dataclass
class Variant:
    """A model trained beside the run: its name, kind and predictions on tuning and held-out."""

    name: str
    kind: str  # single_modality | fusion | mitigation
    config: FinetuneConfig
    folder: Path
    tuning: Predictions | None = None
    held_out: Predictions | None = None
    reused: bool = False
    seconds: float = 0.0


def plan_variants(
    config: FinetuneConfig, kinds: tuple[str, ...], *, epochs: int | None, available: set[Modality]
) -> list[tuple[str, str, FinetuneConfig]]:
    """(name, kind, config) of every variant asked for; single modalities only where some held-out
    patients have that modality."""
    train = dataclasses.replace(config.train, epochs=epochs) if epochs else config.train
    base = dataclasses.replace(config, train=train, reweight=None)
    planned: list[tuple[str, str, FinetuneConfig]] = []
    if "single_modality" in kinds and len(config.modalities) > 1:
        for m in config.modalities:
            if Modality(m) in available:
                planned.append((f"only_{m}", "single_modality", dataclasses.replace(base, modalities=(m,))))
    if "fusion_variants" in kinds and len(config.modalities) > 1:
        for fusion in ("early", "late"):
            if fusion != config.fusion:
                variant = dataclasses.replace(base, fusion=fusion, fusion_options={})
                planned.append((f"{fusion}_fusion", "fusion", variant))
    return planned


def train_variant(
    store: PatientStore,
    run: Path,
    name: str,
    kind: str,
    config: FinetuneConfig,
    data: PreparedData,
    *,
    init_from: Path | None,
    progress: ProgressSink | None = None,
    say: Callable[[str], None] = lambda _msg: None,
) -> Variant:
    """Train (or reuse, when a finished run with the same config is there) one variant and predict with it."""
    import time

    folder = run / VARIANTS_DIR / name
    variant = Variant(name, kind, config, folder)
    t = time.perf_counter()
    if _finished_with(folder, config):
        variant.reused = True
        say(f"{name}: reusing {folder}")
    else:
        say(f"{name}: training ({', '.join(config.modalities)}; {config.fusion} fusion)")
        finetune(store, config, folder, init_from=init_from, progress=progress, register=False, data=data)
    model = FoundationModel.load(folder / "best")
    kind_name = str(data.task.kind)
    variant.tuning = predict(model, data.datasets["tuning"], data.processors, kind_name)
    variant.held_out = predict(model, data.datasets["held_out"], data.processors, kind_name)
    variant.seconds = time.perf_counter() - t
    return variant


def _finished_with(folder: Path, config: FinetuneConfig) -> bool:
    path = folder / RUN_FILE
    if not path.is_file() or not (folder / "best").is_dir():
        return False
    try:
        saved: dict[str, Any] = json.loads(path.read_text())["config"]
    except (OSError, ValueError, KeyError):
        return False
    return bool(saved == json.loads(json.dumps(config.to_dict())))
