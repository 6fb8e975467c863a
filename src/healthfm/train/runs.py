"""The run folder: what `finetune` writes and what a server reads back, with no training data at hand.

```
RUN/best/ and RUN/last/   model.safetensors + model.json (last/ also train_state.pt, for --resume)
RUN/processors.json       the fitted processors        RUN/task.yaml      the task
RUN/run.json              config, data snapshot, timings, metrics
RUN/history.jsonl         one line per epoch           RUN/predictions_held_out.parquet
RUN/calibration.json      calibrator and operating threshold (tuning split)
RUN/evaluation/           `healthfm evaluate`: report.html, evaluation.json, model_card.md, figures
RUN/adapter/              --mode lora only: the LoRA weights and the base run they apply to
```

A pretraining run keeps `best/backbone.json` (d_model, encoders, fusion) instead of a full `model.json`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from healthfm.data import load_processors
from healthfm.errors import UsageError
from healthfm.model import CONFIG_FILE, WEIGHTS_FILE, FoundationModel
from healthfm.schema import Modality, Sample
from healthfm.store.patient_store import PatientStore
from healthfm.tasks import Task, load_task

RUN_FILE = "run.json"
PROCESSORS_FILE = "processors.json"
TASK_FILE = "task.yaml"
PREDICTIONS_FILE = "predictions_held_out.parquet"
CALIBRATION_FILE = "calibration.json"  # calibrator + operating threshold, fitted on the tuning split
BACKBONE_FILE = "backbone.json"


def run_processors(folder: Path) -> Path | None:
    """The processors saved with a model or run folder (the run, or the folder above best/ or last/)."""
    for candidate in (folder / PROCESSORS_FILE, folder.parent / PROCESSORS_FILE):
        if candidate.is_file():
            return candidate
    return None


def pretrained_weights(folder: Path) -> Path:
    """The weights file of a saved model or run folder (the folder itself, else its best/ or last/)."""
    for candidate in (folder, folder / "best", folder / "last"):
        if (candidate / WEIGHTS_FILE).is_file():
            return candidate / WEIGHTS_FILE
    raise UsageError(f"--from {folder}: no {WEIGHTS_FILE} there (nor in best/ or last/)")


def inherited_subjects(folder: Path) -> list[int]:
    """The patients whose records shaped the weights in a `--from` folder: the `training_subjects` of the
    run that saved them (a pretraining run lists its own; a fine-tuning run lists its own plus those it
    inherited). A model built on them carries what they taught, so erasure must name it too."""
    weights = pretrained_weights(folder)
    for candidate in (weights.parent / RUN_FILE, weights.parent.parent / RUN_FILE):
        if candidate.is_file():
            try:
                return sorted(
                    {int(s) for s in json.loads(candidate.read_text()).get("training_subjects", [])}
                )
            except (OSError, ValueError, TypeError) as exc:
                raise UsageError(f"--from {folder}: cannot read {candidate}: {exc}") from None
    return []


def source_backbone(folder: Path) -> dict[str, Any]:
    """`{"d_model", "encoders", "fusion"}` of a pretrained model: its backbone.json (a pretraining run)
    or the same keys of its model.json (a fine-tuning run)."""
    weights = pretrained_weights(folder)
    for name in (BACKBONE_FILE, CONFIG_FILE):
        path = weights.parent / name
        if path.is_file():
            try:
                saved = json.loads(path.read_text())
                return {
                    "d_model": int(saved["d_model"]),
                    "encoders": saved["encoders"],
                    "fusion": saved["fusion"],
                }
            except (OSError, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise UsageError(f"--from {folder}: cannot read {path}: {exc!r}") from None
    raise UsageError(f"--from {folder}: no {BACKBONE_FILE} or {CONFIG_FILE} beside {weights}")


def load_pretrained(model: FoundationModel, folder: Path) -> list[str]:
    """Copy each saved tensor whose name and shape match (encoders, fusion); returns the names loaded."""
    from safetensors.torch import load_file

    state = load_file(str(pretrained_weights(folder)))
    own = model.state_dict()
    matched = {k: v for k, v in state.items() if k in own and own[k].shape == v.shape}
    if not matched:
        raise UsageError(
            f"--from {folder}: none of its weights fit this model (different modalities or sizes?)"
        )
    model.load_state_dict(matched, strict=False)
    return sorted(matched)


def json_safe(value: Any) -> Any:
    """NaN and infinities (an AUROC with one class present) become null: valid JSON, honest about it."""
    if isinstance(value, float):
        return value if np.isfinite(value) else None
    if isinstance(value, Mapping):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def snapshot(store: PatientStore, subjects: list[int]) -> dict[str, Any]:
    digest = hashlib.sha256(np.asarray(subjects, dtype=np.int64).tobytes()).hexdigest()
    info = store.info()
    return {
        "store": str(store.root),
        "subjects": info.subjects,
        "events": info.events,
        "train_subjects_sha256": digest,
    }


def write_predictions(
    path: Path,
    samples: Sequence[Sample],
    ids: np.ndarray[Any, Any],
    y: np.ndarray[Any, Any],
    obs: np.ndarray[Any, Any] | None,
    pred: np.ndarray[Any, Any],
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns: dict[str, Any] = {
        "subject_id": pa.array(ids, pa.int64()),
        "prediction_time": pa.array([s.prediction_time for s in samples], pa.timestamp("us")),
    }
    if y.ndim == 1:
        columns["label"] = pa.array(y.astype(float))
    else:
        columns["label"] = pa.array(y.astype(float).tolist())
    if obs is not None:
        columns["event_observed"] = pa.array(obs.astype(bool))
    columns["prediction"] = pa.array(pred.astype(float).tolist() if pred.ndim > 1 else pred.astype(float))
    pq.write_table(pa.table(columns), path)


def load_run(folder: Path) -> tuple[FoundationModel, dict[Modality, Any], Task]:
    """Rebuild model, processors and task from a run folder (no training data needed)."""
    folder = Path(folder)
    if not (folder / PROCESSORS_FILE).is_file():
        raise UsageError(f"{folder} is not a healthfm run (no {PROCESSORS_FILE})")
    model = FoundationModel.load(folder / "best")
    return model, load_processors(folder / PROCESSORS_FILE), load_task(folder / TASK_FILE)
