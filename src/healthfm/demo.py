"""`make demo`: the main job end to end on the embedded default, saying what it does.

Fetch the real datasets, synthesise a 2,000-patient hospital export, ingest it through the privacy gate,
pretrain the backbone self-supervised, fine-tune it on the cardiac task, evaluate it against baselines
and across patient groups, explain a few patients, write the HTML report and model card, load the real
de-identified datasets beside the cohort, erase a patient the model learned from and verify the audit
chain. Each finished stage is recorded in `OUT/stages.json`, so running it again reuses what is done.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from rich.console import Console
from rich.progress import Progress

from healthfm.schema import BIRTH_CODE, Modality
from healthfm.store.blobs import BlobMeta
from healthfm.store.patient_store import PatientStore

# The UCI data were collected 1981–1988; its rows carry age, not dates, so the index visit is
# placed on one date and birth derived from age (documented as an approximation in the output).
UCI_INDEX_DATE = dt.datetime(1988, 1, 1)
# Numeric UCI columns, as (code, unit) — LOINC where one fits, otherwise the UCI variable name.
UCI_NUMERIC = {
    "trestbps": "LOINC/8480-6",  # systolic blood pressure, mm[Hg]
    "chol": "LOINC/2093-3",  # cholesterol in serum, mg/dL
    "thalch": "LOINC/8867-4",  # heart rate (maximum reached on exercise)
    "oldpeak": "UCI/oldpeak",  # ST depression induced by exercise, mm
    "ca": "UCI/ca",  # major vessels coloured by fluoroscopy
}
DEMO_PATIENTS = 2000
DEMO_TASK = "cardiac_disease"
DEMO_EPOCHS = 5
DEMO_PRETRAIN_EPOCHS = 1
DEMO_VARIANT_EPOCHS: int | None = None  # None: the models compared with it train as long as it did
STAGES_FILE = "stages.json"
UCI_CATEGORICAL = ("cp", "restecg", "exang", "slope", "thal", "fbs")


def pseudo_id(source: str, key: str) -> int:
    """A stable 62-bit id for a source record (the privacy gate replaces this with a keyed HMAC)."""
    return int.from_bytes(hashlib.sha256(f"{source}:{key}".encode()).digest()[:8], "big") >> 2


def uci_events(rows: list[dict[str, str]]) -> Iterator[dict[str, Any]]:
    for i, row in enumerate(rows):
        sid = pseudo_id("uci-heart", str(i))
        age = int(float(row["age"]))
        yield {
            "subject_id": sid,
            "time": UCI_INDEX_DATE - dt.timedelta(days=round(age * 365.25)),
            "code": BIRTH_CODE,
        }
        yield {"subject_id": sid, "time": None, "code": f"GENDER/{'F' if row['sex'] == 'Female' else 'M'}"}
        yield {"subject_id": sid, "time": None, "code": f"SITE/{row['dataset'].replace(' ', '_')}"}
        for col, code in UCI_NUMERIC.items():
            if row[col] not in ("", "NA"):
                yield {
                    "subject_id": sid,
                    "time": UCI_INDEX_DATE,
                    "code": code,
                    "numeric_value": float(row[col]),
                }
        for col in UCI_CATEGORICAL:
            if row[col] not in ("", "NA"):
                yield {
                    "subject_id": sid,
                    "time": UCI_INDEX_DATE,
                    "code": f"UCI/{col}/{row[col].replace(' ', '_')}",
                }
        if row["num"] not in ("", "NA") and int(row["num"]) > 0:
            # angiographic disease (> 50 % narrowing): chronic ischaemic heart disease
            yield {
                "subject_id": sid,
                "time": UCI_INDEX_DATE + dt.timedelta(hours=1),
                "code": "ICD10CM/I25.10",
            }


def report_events(reports: list[Any]) -> Iterator[dict[str, Any]]:
    # IU reports carry no dates; each is one de-identified patient with one study.
    when = dt.datetime(2013, 1, 1)
    for rep in reports:
        sid = pseudo_id("iu-cxr", rep.uid)
        text = f"INDICATION: {rep.indication}\nFINDINGS: {rep.findings}\nIMPRESSION: {rep.impression}"
        yield {
            "subject_id": sid,
            "time": when,
            "code": "LOINC/36643-5",
            "text_value": text,
            "modality": Modality.TEXT.value,
        }  # XR Chest 2 Views report
        for tag in rep.mesh:
            yield {
                "subject_id": sid,
                "time": when,
                "code": f"MESH/{tag.split('/')[0].replace(' ', '_')}",
                "modality": Modality.TEXT.value,
            }


class Stages:
    """`OUT/stages.json`: what each finished stage reported, so a second run skips it."""

    def __init__(self, out_dir: Path, fingerprint: dict[str, Any]) -> None:
        self.path = out_dir / STAGES_FILE
        saved: dict[str, Any] = {}
        if self.path.is_file():
            try:
                saved = json.loads(self.path.read_text())
            except (OSError, ValueError):
                saved = {}
        # a demo with other settings (e.g. a test's tiny cohort) starts over
        self.done: dict[str, Any] = saved.get("done", {}) if saved.get("fingerprint") == fingerprint else {}
        self.fingerprint = fingerprint
        self.seconds: dict[str, float] = {}  # this run's wall time per stage (0 when reused)
        self._started = time.perf_counter()

    def get(self, name: str) -> Any:
        """A finished stage's result, or None; also starts the stage's clock."""
        self._started = time.perf_counter()
        found = self.done.get(name)
        if found is not None:
            self.seconds[name] = 0.0
        return found

    def finish(self, name: str, result: Any) -> Any:
        self.seconds[name] = round(time.perf_counter() - self._started, 1)
        self.done[name] = result
        self.path.write_text(json.dumps({"fingerprint": self.fingerprint, "done": self.done}, indent=1))
        return result


def run_demo(out_dir: Path, console: Console | None = None) -> dict[str, Any]:
    """The main job end to end (see the module docstring); returns and writes `OUT/summary.json`."""
    from healthfm.datasets.fetch import fetch

    console = console or Console()
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    stages = Stages(out_dir, {"patients": DEMO_PATIENTS, "seed": 0, "task": DEMO_TASK, "version": 2})
    if not stages.done and (out_dir / "store").exists():
        shutil.rmtree(out_dir / "store")  # a store from another demo configuration
    summary: dict[str, Any] = {"started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}

    console.rule("[bold]1 · fetch the real datasets (sha256-verified cache)")
    fetched = fetch()
    for name, path in fetched.items():
        console.print(f"  {name}: {path}")
    summary["datasets"] = {k: str(v) for k, v in fetched.items()}

    console.rule("[bold]2 · generate the virtual cardiology cohort as hospital export files")
    summary["synth"] = stages.get("synth") or stages.finish("synth", _synth(out_dir / "export", console))
    console.print(
        f"  {DEMO_PATIENTS} patients → {summary['synth']['out']}: "
        + ", ".join(f"{v:,} {k}" for k, v in summary["synth"]["counts"].items())
    )

    console.rule("[bold]3 · ingest the export through the privacy gate → one MEDS patient store")
    store = PatientStore.open(out_dir / "store")
    if stages.get("ingest") and len(store.subjects()) == 0:  # the store was deleted since: start it again
        stages.done = {k: v for k, v in stages.done.items() if k == "synth"}
    ingested = stages.get("ingest") or stages.finish("ingest", _ingest(store, out_dir, console))
    summary["ingest"] = {k: v for k, v in ingested.items() if k != "cohort"}
    console.print(
        f"  {summary['ingest']['subjects']:,} patients, {summary['ingest']['events']:,} events, "
        f"{summary['ingest']['quarantined']:,} records quarantined; keyed HMAC pseudonyms, one date shift "
        "per patient across FHIR, DICOM and WFDB, notes scrubbed of PHI, DICOM UIDs remapped; "
        f"{summary['ingest']['opted_out']} patient(s) opted out of research (FHIR Consent) and are left "
        "out of training and evaluation"
    )

    console.rule("[bold]4 · pretrain the backbone self-supervised on every consenting training patient")
    summary["pretrain"] = stages.get("pretrain") or stages.finish(
        "pretrain", _skippable(lambda: _pretrain(store, out_dir / "pretrain", console), console)
    )
    pretrained = out_dir / "pretrain" if "run" in summary["pretrain"] else None
    handoff: dict[str, Any] = {}  # the fine-tuning split, processors and datasets, reused by evaluation

    console.rule("[bold]5 · fine-tune the pretrained model: cardiac disease at the index work-up")
    summary["finetune"] = stages.get("finetune") or stages.finish(
        "finetune",
        _skippable(lambda: _finetune(store, out_dir / "model", pretrained, console, handoff), console),
    )

    console.rule("[bold]6 · evaluate against baselines, across patient groups; explain; report")
    if "run" in summary["finetune"]:
        summary["evaluate"] = stages.get("evaluate") or stages.finish(
            "evaluate", _skippable(lambda: _evaluate(store, out_dir / "model", console, handoff), console)
        )
    else:
        summary["evaluate"] = {"skipped": "no fine-tuned model"}

    console.rule(
        "[bold]7 · load the real, already de-identified datasets (UCI table, IU reports, MIT-BIH ECG)"
    )
    summary["real_data"] = stages.get("real_data") or stages.finish("real_data", _real_data(store, console))

    console.rule("[bold]8 · query the store, export one patient as FHIR (right of access)")
    summary["export"] = _export_patient(store, out_dir, [int(s) for s in ingested["cohort"]], console)

    console.rule("[bold]9 · erasure (GDPR Art. 17) and the audit chain")
    summary["erasure"] = stages.get("erasure") or stages.finish("erasure", _erase(store, console))
    check = store.catalog.verify_audit_chain()
    console.print(f"  audit chain: {'intact' if check.ok else 'BROKEN'} ({check.n_entries} entries)")
    info = store.info()
    store.close()
    summary.update(
        {
            "store": str(out_dir / "store"),
            "subjects": info.subjects,
            "events": info.events,
            "codes": info.codes,
            "splits": info.splits,
            "modalities": info.modalities,
            "erased_subject": summary["erasure"]["subject"],
            "audit_chain_ok": check.ok,
            "audit_entries": check.n_entries,
            "seconds": round(time.perf_counter() - started, 1),
            "stage_seconds": stages.seconds,
        }
    )
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2))
    _final_table(summary, out_dir, console)
    return summary


def _synth(export_dir: Path, console: Console) -> dict[str, Any]:
    from healthfm.synth.writer import SynthConfig, default_workers, synthesize

    with Progress(console=console, transient=False) as progress:
        task = progress.add_task("synth patients", total=DEMO_PATIENTS)
        counts = synthesize(
            SynthConfig(patients=DEMO_PATIENTS, seed=0, out=export_dir, workers=default_workers()),
            force=True,
            progress=lambda done: progress.update(task, completed=done),
        )
    console.print(
        "  (FHIR NDJSON $export, DICOM radiographs and ECGs, WFDB ECGs, notes; ground truth kept apart)"
    )
    return {"patients": DEMO_PATIENTS, "out": str(export_dir), "counts": counts}


def _ingest(store: PatientStore, out_dir: Path, console: Console) -> dict[str, Any]:
    from healthfm.ingest.pipeline import ingest
    from healthfm.privacy.gate import PrivacyGate, generate_key, load_key
    from healthfm.synth.writer import default_workers

    # The key lives beside the store, never inside it; a hospital keeps it in its secrets manager.
    key_path = out_dir / "secrets" / "pseudonym.key"
    if not key_path.exists():
        generate_key(key_path)
    gate = PrivacyGate(load_key(key_path))
    export_dir = out_dir / "export"
    with Progress(console=console, transient=False) as progress:
        task = progress.add_task("ingest sources", total=None)
        report = ingest(
            [export_dir / "fhir", export_dir / "dicom", export_dir / "wfdb"],
            store,
            gate=gate,
            workers=default_workers(),
            progress=lambda _stage, done, total: progress.update(task, completed=done, total=total),
            actor="demo",
        )
    opted_out = len(store.subjects()) - len(store.subjects(consent_scope="training"))
    return {
        "events": report.events,
        "subjects": report.subjects,
        "quarantined": report.quarantined,
        "opted_out": opted_out,
        "key": str(key_path),
        "cohort": [int(s) for s in store.subjects()],
    }


def _pretrain(store: PatientStore, out: Path, console: Console) -> dict[str, Any]:
    from healthfm.pretrain.run import PretrainConfig, pretrain
    from healthfm.train.loop import TrainConfig
    from healthfm.train.progress import RichTrainProgress

    config = PretrainConfig(train=TrainConfig(epochs=DEMO_PRETRAIN_EPOCHS, patience=DEMO_PRETRAIN_EPOCHS))
    shutil.rmtree(out, ignore_errors=True)
    with RichTrainProgress(
        console, DEMO_PRETRAIN_EPOCHS, "loss", show=lambda k: k == "loss" or k.endswith("/loss")
    ) as bar:
        result = pretrain(store, config, out, progress=bar, stage=lambda msg: console.print(f"  {msg}"))
    objectives = sorted(k.removesuffix("/loss") for k in result.tuning if k.endswith("/loss"))
    console.print(
        f"  objectives {', '.join(objectives)}: tuning loss {result.tuning.get('loss', float('nan')):.3f}, "
        f"{result.result.samples_per_s:.0f} samples/s, {result.seconds['total']:.0f} s; run folder {out}"
    )
    return {
        "run": str(out),
        "objectives": objectives,
        "tuning_loss": result.tuning.get("loss"),
        "retrieval": result.retrieval,
        "seconds": round(result.seconds["total"], 1),
    }


def _finetune(
    store: PatientStore, out: Path, pretrained: Path | None, console: Console, handoff: dict[str, Any]
) -> dict[str, Any]:
    """Fine-tune the default model (all five modalities) from the pretrained backbone."""
    from healthfm.train.finetune import FinetuneConfig, finetune, prepare_data
    from healthfm.train.loop import TrainConfig
    from healthfm.train.progress import RichTrainProgress
    from healthfm.train.runs import json_safe

    config = FinetuneConfig(task=DEMO_TASK, train=TrainConfig(epochs=DEMO_EPOCHS, patience=3))
    shutil.rmtree(out, ignore_errors=True)
    say = lambda msg: console.print(f"  {msg}")  # noqa: E731
    data = prepare_data(store, config, out, init_from=pretrained, say=say)
    handoff["prepared"] = data  # the evaluation step reuses the split, processors and datasets
    with RichTrainProgress(console, DEMO_EPOCHS, "auroc") as progress:
        result = finetune(store, config, out, init_from=pretrained, progress=progress, stage=say, data=data)
    held = result.metrics["held_out"]
    console.print(
        f"  {DEMO_TASK}: held-out AUROC {held['auroc']:.3f} on {int(held['n'])} patients, "
        f"{result.seconds['total']:.0f} s; registered as {DEMO_TASK} v{result.model_version}; "
        f"run folder {out}"
    )
    return {
        "task": DEMO_TASK,
        "run": str(out),
        "samples": result.n_samples,
        "held_out": json_safe(held),
        "model_version": result.model_version,
        "seconds": round(result.seconds["total"], 1),
    }


def _evaluate(store: PatientStore, run: Path, console: Console, handoff: dict[str, Any]) -> dict[str, Any]:
    from healthfm.evaluate.compare import EvaluateConfig
    from healthfm.evaluate.run import EVAL_DIR, evaluate_run
    from healthfm.train.progress import RichTrainProgress

    # the label-efficiency study is a benchmark of its own (hours on this machine): the report shows
    # the repository's latest figures for it, captioned with where and when they were measured
    curves = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "pretrain.json"
    config = EvaluateConfig(
        variant_epochs=DEMO_VARIANT_EPOCHS, label_efficiency=str(curves) if curves.is_file() else None
    )
    with RichTrainProgress(console, DEMO_VARIANT_EPOCHS or DEMO_EPOCHS, "auroc") as bar:
        ev = evaluate_run(
            store,
            run,
            config,
            say=lambda msg: console.print(f"  {msg}"),
            progress=bar,
            data=handoff.pop("prepared", None),
        )
    data = ev.to_dict()
    compared = [
        {
            "model": c["name"],
            "family": c["kind"],
            ev.primary: c["metrics"].get(ev.primary),
            "difference": (c.get("difference") or {}).get("estimate"),
        }
        for c in data["compared"]
    ]
    return {
        "report": str(run / EVAL_DIR / "report.html"),
        "model_card": str(run / EVAL_DIR / "model_card.md"),
        "primary": ev.primary,
        "metrics": {k: v for k, v in data["metrics"].items() if isinstance(v, dict) and "value" in v},
        "compared": compared,
        "targets": data["targets"],
        "fairness": (data.get("fairness") or {}).get("model", {}).get("summary"),
        "mitigation": {
            k: v for k, v in (data.get("mitigation") or {}).items() if k in ("attribute", "before", "after")
        },
        "explained": [e["subject_id"] for e in data["explanations"]],
        "notes": data["notes"],
        "seconds": round(ev.seconds["total"], 1),
    }


def _real_data(store: PatientStore, console: Console) -> dict[str, Any]:
    from healthfm.datasets.loaders import MITBIH_FS, load_iu_reports, load_mitbih_excerpt, load_uci

    uci = load_uci()
    reports = load_iu_reports()
    ecg = load_mitbih_excerpt().astype(np.float32)[None, :]
    with Progress(console=console, transient=False) as progress:
        task = progress.add_task("appending events", total=None)

        def advance(stage: str, n: int) -> None:
            if stage == "read":
                progress.advance(task, n)

        r1 = store.append(uci_events(uci), progress=advance, actor="demo")
        r2 = store.append(report_events(reports), progress=advance, actor="demo")
        uri = store.blobs.put(
            ecg,
            BlobMeta(
                kind="waveform",
                sampling_rate=MITBIH_FS,
                lead_names=("MLII",),
                units="mV",
                extra={"source": "MIT-BIH record 208, 5-minute excerpt"},
            ),
        )
        store.append(
            pa.table(
                {
                    "subject_id": [pseudo_id("mitbih", "208")],
                    "time": [dt.datetime(1980, 1, 1)],
                    "code": ["ECG/MITBIH_208"],
                    "modality": [Modality.SIGNAL.value],
                    "blob": [uri],
                }
            ),
            actor="demo",
        )
    console.print(
        f"  UCI heart disease: {r1.events:,} events for {r1.subjects:,} patients "
        "(index visit placed on 1988-01-01; birth derived from age)"
    )
    console.print(
        f"  IU chest X-ray reports: {r2.events:,} events (report text + MeSH tags), {r2.subjects:,} patients"
    )
    console.print(
        f"  MIT-BIH 208 ECG: 1 waveform blob, {ecg.shape[1]:,} samples at {MITBIH_FS:g} Hz → {uri[:30]}…"
    )
    console.print("  (`healthfm bench real` measures healthfm against standard methods on these datasets)")
    return {"uci_subjects": r1.subjects, "iu_subjects": r2.subjects, "ecg_blob": uri}


def _export_patient(
    store: PatientStore, out_dir: Path, cohort_ids: list[int], console: Console
) -> dict[str, Any]:
    from healthfm.ingest.fhir_out import timeline_to_bundle

    info = store.info()
    console.print(
        f"  {info.subjects:,} subjects · {info.events:,} events · {info.codes:,} codes · "
        f"{info.shards} shards · {info.blobs} blob(s) · splits {info.splits}"
    )
    ids = set(cohort_ids)
    cohort = [s for s in store.subjects() if int(s) in ids]
    patient = max(cohort, key=lambda s: len(store.timeline(int(s)).modalities()))
    timeline = store.timeline(int(patient))
    bundle = timeline_to_bundle(timeline)
    path = out_dir / f"subject-{patient}.fhir.json"
    path.write_text(json.dumps(bundle, indent=1))
    store.catalog.audit("demo", "export", subject=str(patient), details={"resources": len(bundle["entry"])})
    kinds = sorted({m.value for m in timeline.modalities()})
    console.print(
        f"  subject {patient} ({', '.join(kinds)}) → {len(bundle['entry'])} FHIR resources in {path}"
    )
    return {"subject": int(patient), "path": str(path), "resources": len(bundle["entry"])}


def _skippable(step: Any, console: Console) -> dict[str, Any]:
    """A model step that a cohort too small for its splits skips (tiny test cohorts), saying why."""
    from healthfm.errors import UsageError

    try:
        result: dict[str, Any] = step()
    except UsageError as exc:
        console.print(f"  skipped: {exc}")
        return {"skipped": str(exc)}
    return result


def _erase(store: PatientStore, console: Console) -> dict[str, Any]:
    """Erase a patient the model learned from: the registry must name the models to retrain."""
    from healthfm.tasks import build_samples, load_task

    trained_on = build_samples(store, load_task(DEMO_TASK), "train")
    subject = trained_on[0].subject_id if trained_on else int(store.subjects("train")[0])
    models = store.catalog.models_trained_on(subject)
    erased = store.erase(subject, requested_by="demo", reason="demo erasure request")
    console.print(
        f"  erased subject {subject}: {erased.events_removed} events removed; "
        f"still present: {subject in store}"
    )
    named = [f"{m.name} v{m.version}" for m in models]
    if named:
        console.print(f"  models that learned from this patient (retrain or retire them): {', '.join(named)}")
    return {"subject": int(subject), "events_removed": erased.events_removed, "models": named}


def _final_table(summary: dict[str, Any], out_dir: Path, console: Console) -> None:
    from rich.table import Table

    console.rule("[bold]done")
    ev = summary.get("evaluate") or {}
    table = Table(title=f"{DEMO_TASK}: held-out patients, 95% bootstrap CIs")
    for col in ("model", "family", ev.get("primary", "auroc"), "healthfm − this (paired)"):
        table.add_column(col, justify="left" if col in ("model", "family") else "right")
    for row in ev.get("compared", []):
        table.add_row(
            row["model"], row["family"], _ci(row.get(ev.get("primary", "auroc"))), _ci(row.get("difference"))
        )
    console.print(table)
    stage_times = ", ".join(
        f"{k} {'reused' if v == 0 else f'{v:.0f} s'}" for k, v in summary.get("stage_seconds", {}).items()
    )
    console.print(f"  stages: {stage_times}")
    for t in ev.get("targets", []):
        console.print(f"  target {'met' if t['met'] else 'NOT met'}: {t['target']}: {_ci(t['difference'])}")
    console.print(
        f"  report: {ev.get('report')}\n  model card: {ev.get('model_card')}\n"
        f"  store: {summary['store']}\n  summary: {out_dir / 'summary.json'} ({summary['seconds']:.0f} s)\n"
        f"  next: healthfm --store {summary['store']} explain --run {out_dir / 'model'} --subject <id>"
    )


def _ci(est: Any) -> str:
    if not isinstance(est, dict) or est.get("value") is None:
        return "—"
    if est.get("low") is None:
        return f"{est['value']:.3f}"
    return f"{est['value']:.3f} [{est['low']:.3f}, {est['high']:.3f}]"
