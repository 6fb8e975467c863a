"""The run folder: what `finetune` writes and what a server reads back, with no training data at hand.

```
RUN/best/ and RUN/last/   model.safetensors + model.json (last/ also train_state.pt, for --resume)
RUN/processors.json       the fitted processors        RUN/task.yaml      the task
RUN/run.json              config, data snapshot, timings, metrics
RUN/history.jsonl         one line per epoch           RUN/predictions_held_out.parquet
```
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from healthfm.data import load_processors
from healthfm.errors import UsageError
from healthfm.model import FoundationModel
from healthfm.schema import Modality, Sample
from healthfm.store.patient_store import PatientStore
from healthfm.tasks import Task, load_task

RUN_FILE = "run.json"
PROCESSORS_FILE = "processors.json"
TASK_FILE = "task.yaml"
PREDICTIONS_FILE = "predictions_held_out.parquet"


def run_processors(folder: Path) -> Path | None:
    """The processors saved with a model or run folder (the run, or the folder above best/ or last/)."""
    for candidate in (folder / PROCESSORS_FILE, folder.parent / PROCESSORS_FILE):
        if candidate.is_file():
            return candidate
    return None


def load_pretrained(model: FoundationModel, folder: Path) -> list[str]:
    """Copy each saved tensor whose name and shape match (encoders, fusion); returns the names loaded."""
    from safetensors.torch import load_file

    weights = folder / "model.safetensors"
    if not weights.is_file():
        candidates = [folder / "best" / "model.safetensors", folder / "last" / "model.safetensors"]
        weights = next((c for c in candidates if c.is_file()), weights)
    if not weights.is_file():
        raise UsageError(f"--from {folder}: no model.safetensors there (nor in best/ or last/)")
    state = load_file(str(weights))
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
