"""The processors of one model: built from options, fitted on the training samples, saved as JSON.

The saved file holds every parameter and every fitted value, so a server rebuilds the exact transforms
with no training data at hand.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from healthfm.data.base import PROCESSORS, Processor, StoreLike
from healthfm.data.events import EventsProcessor
from healthfm.data.image import ImageProcessor
from healthfm.data.signal import SignalProcessor
from healthfm.data.tabular import TabularProcessor
from healthfm.data.text import TextProcessor
from healthfm.errors import UsageError
from healthfm.schema import Modality, PatientTimeline, Sample

FORMAT = "healthfm.processors"
VERSION = 1

Visible = Callable[[PatientTimeline, Sample], PatientTimeline]

DEFAULT_PROCESSORS: dict[Modality, type[Processor]] = {
    Modality.EVENTS: EventsProcessor,
    Modality.TABULAR: TabularProcessor,
    Modality.TEXT: TextProcessor,
    Modality.IMAGE: ImageProcessor,
    Modality.SIGNAL: SignalProcessor,
}


def default_visible(timeline: PatientTimeline, sample: Sample) -> PatientTimeline:
    """What a model may see: static facts and events strictly before the prediction time."""
    return timeline.before(sample.prediction_time)


def build_processors(
    modalities: Sequence[Modality], options: Mapping[Modality, Mapping[str, Any]] | None = None
) -> dict[Modality, Processor]:
    """One unfitted processor per modality, in the order given; `options[m]` are its parameters."""
    options = dict(options or {})
    unknown = sorted(str(m) for m in options if Modality(m) not in modalities)
    if unknown:
        raise UsageError(f"processor options for modalities not built: {unknown}")
    out: dict[Modality, Processor] = {}
    for modality in modalities:
        m = Modality(modality)
        if m in out:
            raise UsageError(f"modality {m.value!r} is listed twice")
        cls = DEFAULT_PROCESSORS[m]
        try:
            out[m] = cls(**dict(options.get(m, {})))
        except TypeError as exc:
            raise UsageError(f"{cls.__name__}: {exc}") from None
    return out


def fit_processors(
    store: StoreLike,
    samples: Sequence[Sample],
    processors: Mapping[Modality, Processor],
    visible: Visible = default_visible,
    *,
    require_train_split: bool = True,
) -> dict[Modality, Processor]:
    """Fit every processor on the visible timelines of `samples` and return them.

    Pass the TRAINING samples only: a vocabulary or a value distribution fitted on held-out subjects
    leaks them into the model. With `require_train_split` (the default) a sample whose subject is not
    in the store's train split raises.
    """
    if not samples:
        raise UsageError("fit_processors needs at least one training sample")
    if require_train_split:
        import numpy as np

        train = store.subjects("train")
        ids = np.fromiter((s.subject_id for s in samples), dtype=np.int64, count=len(samples))
        outside = np.unique(ids[~np.isin(ids, train)])
        if outside.size:
            raise UsageError(
                f"fit_processors: {outside.size} subject(s) outside the train split "
                f"(first: {int(outside[0])}); processors are fitted on training samples only"
            )
    items = [(s, visible(store.timeline(s.subject_id), s)) for s in samples]
    for processor in processors.values():
        processor.fit(items)
    return dict(processors)


def processors_state(processors: Mapping[Modality, Processor]) -> dict[str, Any]:
    """The bundle as one JSON-able dict (what `save_processors` writes)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "processors": [
            {"modality": Modality(m).value, "name": p.name, "state": p.state()} for m, p in processors.items()
        ],
    }


def processors_from_state(state: Mapping[str, Any]) -> dict[Modality, Processor]:
    if state.get("format") != FORMAT:
        raise UsageError(
            f"not a saved processor bundle (format {state.get('format')!r}, expected {FORMAT!r})"
        )
    if state.get("version") != VERSION:
        raise UsageError(
            f"processor bundle version {state.get('version')} is not supported (expected {VERSION})"
        )
    out: dict[Modality, Processor] = {}
    for entry in state["processors"]:
        cls = PROCESSORS.get(entry["name"])
        out[Modality(entry["modality"])] = cls.from_state(entry["state"])
    return out


def save_processors(processors: Mapping[Modality, Processor], path: str | os.PathLike[str]) -> Path:
    """Write the fitted bundle as JSON (atomically) and return its path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(processors_state(processors), indent=1, sort_keys=False, allow_nan=False)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def load_processors(path: str | os.PathLike[str]) -> dict[Modality, Processor]:
    """Rebuild the fitted processors saved by `save_processors`, in their saved order."""
    try:
        state = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise UsageError(f"cannot read processors from {path}: {exc}") from exc
    return processors_from_state(state)
