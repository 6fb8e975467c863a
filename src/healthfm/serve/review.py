"""Human oversight (GDPR Art. 22, EU AI Act Art. 14): which predictions a clinician reviews, and the
explanation figures shown beside them (computed when first viewed, then kept)."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.ipc as ipc

from healthfm.schema import PatientTimeline, Sample
from healthfm.serve.auth import Principal
from healthfm.serve.deps import Services
from healthfm.serve.fhir import to_risk_assessment
from healthfm.serve.inputs import PatientInput
from healthfm.serve.scoring import Scored
from healthfm.store.catalog import ReviewItem

FIGURES = ("modalities.png", "top_features.png", "attention.png")
TIMELINE_FILE = "timeline.arrow"
_figure_locks: dict[int, threading.Lock] = {}
_locks_guard = threading.Lock()


class OneTimeline:
    """What `explain_sample` reads from a store, for one in-memory timeline."""

    def __init__(self, timeline: PatientTimeline, blobs: Any, root: Path | None) -> None:
        self._timeline = timeline
        self.blobs = blobs
        if root is not None:
            self.root = root

    def timeline(self, subject_id: int) -> PatientTimeline:
        if subject_id != self._timeline.subject_id:
            raise KeyError(subject_id)
        return self._timeline


def review_reasons(services: Services, scored: Scored) -> list[str]:
    settings = services.settings
    reasons = []
    if scored.risk >= settings.review_risk_above:
        reasons.append(
            f"risk {scored.risk:.3f} at or above the review threshold {settings.review_risk_above}"
        )
    if abs(scored.risk - scored.model.threshold) < settings.review_margin:
        reasons.append(
            f"low confidence: risk {scored.risk:.3f} within {settings.review_margin} of the operating "
            f"threshold {scored.model.threshold:.3f}"
        )
    return reasons


def review_request(
    services: Services, principal: Principal, scored: Scored, job: PatientInput
) -> dict[str, Any] | None:
    """The review item for this prediction when its risk is high or its call is uncertain, else None
    (committed with the request's audit entry: `AuditWriter.record_reviewed`)."""
    reasons = review_reasons(services, scored)
    if not reasons:
        return None
    details = {
        "risk_assessment": to_risk_assessment(scored),
        "prediction_time": job.prediction_time.isoformat(),
        "source": job.source,
        "contributors": scored.contributors,
        "present": [m.value for m in scored.present],
    }
    return dict(
        subject=str(scored.subject_id),
        site=job.site,
        model=scored.model.name,
        version=scored.model.version,
        probability=min(1.0, max(0.0, scored.probability)),
        risk=min(1.0, max(0.0, scored.risk)),
        threshold=min(1.0, max(0.0, scored.model.threshold)),
        reasons=reasons,
        details=details,
        actor=principal.actor,
    )


async def review_enqueued(services: Services, item: ReviewItem, job: PatientInput) -> None:
    """After a prediction entered the queue: a posted patient's (pseudonymised) timeline is kept for
    the figures, since it is not in the store. (The queue-length gauge is read from the catalog at each
    scrape: with several workers no one process knows it.)"""
    if job.source == "bundle":
        folder = services.settings.figures_dir / str(item.id)
        await asyncio.to_thread(_save_timeline, folder, job.get_timeline().table)


def _save_timeline(folder: Path, table: pa.Table) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with ipc.new_file(str(folder / TIMELINE_FILE), table.schema) as writer:
        writer.write_table(table)


def figures_for(services: Services, item: ReviewItem) -> Path:
    """The item's figure folder, explaining the prediction once (with the model version it came from
    when that is still the one served, else the one served now: noted in explanation.json)."""
    folder = services.settings.figures_dir / str(item.id)
    with _locks_guard:
        lock = _figure_locks.setdefault(item.id, threading.Lock())
    with lock:
        if (folder / "explanation.json").is_file():
            return folder
        from healthfm.evaluate.run import raw_threshold
        from healthfm.explain import ExplainConfig, explain_sample

        served = services.slot.current
        sid = int(item.subject)
        saved = folder / TIMELINE_FILE
        if saved.is_file():
            with ipc.open_file(str(saved)) as reader:
                timeline = PatientTimeline(sid, reader.read_all())
            store_like = OneTimeline(timeline, services.store.blobs, None)
        else:
            store_like = OneTimeline(services.store.timeline(sid), services.store.blobs, services.store.root)
        when = dt.datetime.fromisoformat(str(item.details.get("prediction_time")))
        operating = None
        if served.calibrator is not None:
            operating = {"calibrator": served.calibrator.to_dict(), "threshold": served.threshold}
        model, explain_lock = served.explainer()
        with explain_lock:
            explain_sample(
                model,
                served.processors,
                served.task,
                store_like,
                Sample(sid, when, None, task=served.task.name),
                threshold=raw_threshold(operating),
                checks=False,
                config=ExplainConfig(figures=True),
                out_dir=folder,
            )
        return folder
