"""The model being served: loaded from the registry (run folder of `artefact_uri`), hot-swappable.

A swap loads the new version completely (weights, processors, task, calibration) before one reference
is replaced; a batch already running keeps the model it started with, so no request fails during it.
"""

from __future__ import annotations

import copy
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import torch

from healthfm.errors import UsageError
from healthfm.evaluate.calibration import Calibrator
from healthfm.model import FoundationModel
from healthfm.schema import Modality
from healthfm.store.catalog import Catalog, CatalogError, ModelRecord
from healthfm.tasks import Task
from healthfm.train.runs import CALIBRATION_FILE, load_run

_EXPLAIN_GUARD = threading.Lock()


@dataclass(frozen=True)
class ServedModel:
    """One registered model version, ready to predict: `threshold` is on the calibrated scale."""

    record: ModelRecord
    run: Path
    model: FoundationModel
    processors: dict[Modality, Any]
    task: Task
    calibrator: Calibrator | None
    threshold: float
    _explaining: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def explainer(self) -> tuple[FoundationModel, threading.Lock]:
        """A private copy of the model for explanations, and the lock to hold while using it.

        Explaining toggles gradient flags and caches on the model; the predictor keeps running the
        served one, so explanations never touch it (and run one at a time)."""
        with _EXPLAIN_GUARD:
            if "model" not in self._explaining:
                self._explaining["model"] = copy.deepcopy(self.model)
                self._explaining["lock"] = threading.Lock()
            return self._explaining["model"], self._explaining["lock"]

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def version(self) -> int:
        return self.record.version

    @property
    def label(self) -> str:
        return f"{self.record.name}@{self.record.version}"

    def calibrate(self, prob: Any) -> Any:
        return prob if self.calibrator is None else self.calibrator.transform(prob)


def run_folder(record: ModelRecord) -> Path:
    """The run folder of a registered version: the parent of its `file://…/best` artefact."""
    parsed = urlparse(record.artefact_uri)
    if parsed.scheme != "file" or not parsed.path:
        raise UsageError(
            f"model {record.name}@{record.version}: artefact {record.artefact_uri!r} is not a file:// URI"
        )
    return Path(unquote(parsed.path)).parent


def find_record(catalog: Catalog, name: str, version: int | None) -> ModelRecord:
    """`name@version`, else the active version of `name`, else its latest."""
    try:
        if version is not None:
            return catalog.get_model(name, version)
        active = [m for m in catalog.list_models(name) if m.status == "active"]
        return active[-1] if active else catalog.get_model(name)
    except CatalogError as exc:
        raise UsageError(str(exc)) from None


def load_served(record: ModelRecord) -> ServedModel:
    folder = run_folder(record)
    if not folder.is_dir():
        raise UsageError(f"model {record.name}@{record.version}: run folder {folder} is missing")
    model, processors, task = load_run(folder)
    if str(task.kind) != "binary":
        raise UsageError(
            f"model {record.name}@{record.version}: the API serves binary risk models; task "
            f"{task.name!r} is {task.kind}"
        )
    missing = [m.value for m in model.modalities if m not in processors]
    if missing:
        raise UsageError(f"model {record.name}@{record.version}: no processors for {missing}")
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    calibrator, threshold = None, 0.5
    path = folder / CALIBRATION_FILE
    if path.is_file():
        shipped = json.loads(path.read_text())
        if shipped.get("calibrator"):
            calibrator = Calibrator.from_dict(shipped["calibrator"])
        threshold = float(shipped.get("threshold", 0.5))
    own = {m: processors[m] for m in model.modalities}
    return ServedModel(record, folder, model, own, task, calibrator, threshold)


class ModelSlot:
    """Holds the served model; `swap` replaces it atomically (readers take one reference per batch)."""

    def __init__(self, served: ServedModel) -> None:
        self._served = served
        self._lock = threading.Lock()

    @property
    def current(self) -> ServedModel:
        return self._served

    def swap(self, served: ServedModel) -> ServedModel:
        with self._lock:
            old, self._served = self._served, served
        return old


def warm_up(served: ServedModel) -> None:
    """One tiny pass so the first request does not pay for lazy initialisation."""
    with torch.no_grad():
        for p in served.model.parameters():
            _ = p.sum()
            break
