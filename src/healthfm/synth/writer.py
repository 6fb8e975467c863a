"""Write the virtual cohort as standard files: FHIR Bulk Data NDJSON, DICOM, WFDB, and ground truth.

Layout of `out/`:
    fhir/        one NDJSON file per resource type + manifest.json (the `$export` folder)
    dicom/       chest radiographs (DX) and some 12-lead ECGs (DICOM waveform)
    wfdb/        12-lead ECG records (.hea/.dat) and the RECORDS list
    ground_truth/ latent state, labels, outcomes, PHI spans: never read by ingestion

Each patient is built from its own random stream `(seed, patient index)`, so the output does not depend
on the number of workers, and results are written in patient order: same seed, same bytes. Race and
ethnicity come from a separate stream per patient (`synth/race.py`), independent of everything else.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import shutil
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from healthfm.datasets.loaders import RadiologyReport, load_iu_reports, load_uci
from healthfm.errors import UsageError
from healthfm.synth import dicom, ecg, notes
from healthfm.synth.cohort import EXPORT_DATE, Encounter, Patient, make_patient
from healthfm.synth.copula import UciCopula, encode
from healthfm.synth.fhir import LOINC, FhirPatient, concept
from healthfm.synth.phi import Identity, make_identity, utc_offset
from healthfm.synth.race import draw_race_ethnicity

SUBFOLDERS = ("fhir", "dicom", "wfdb", "ground_truth")
RESOURCE_ORDER = (
    "Patient",
    "Encounter",
    "Observation",
    "Condition",
    "MedicationRequest",
    "Procedure",
    "DiagnosticReport",
    "ImagingStudy",
    "DocumentReference",
    "Consent",
)
CHUNK = 20
SHARE_ECG_AS_DICOM = 0.15
MAX_PATIENTS = 1_000_000


@dataclass(frozen=True)
class SynthConfig:
    patients: int
    seed: int
    out: Path
    workers: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.patients <= MAX_PATIENTS:
            raise UsageError(f"--patients must be between 1 and {MAX_PATIENTS:,}, got {self.patients}")
        if not 0 <= self.seed < 2**32:
            raise UsageError(f"--seed must be between 0 and {2**32 - 1}, got {self.seed}")
        if not 1 <= self.workers <= 256:
            raise UsageError(f"--workers must be between 1 and 256, got {self.workers}")


@dataclass
class PatientFiles:
    """What one patient contributes to the shared files, in write order."""

    resources: dict[str, list[str]] = field(default_factory=dict)
    phi: list[str] = field(default_factory=list)
    modalities: list[str] = field(default_factory=list)
    truth: dict[str, Any] = field(default_factory=dict)
    records: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Context:
    seed: int
    out: Path
    copula: UciCopula
    reports: Sequence[RadiologyReport]
    groups: dict[str, list[int]]


_CONTEXT: _Context | None = None


def _init(context: _Context) -> None:
    global _CONTEXT
    _CONTEXT = context


def _jsonl(item: dict[str, Any]) -> str:
    return json.dumps(item, separators=(",", ":"), ensure_ascii=False)


def prepare_out(out: Path, force: bool) -> None:
    """Create `out`, refusing a non-empty folder unless `force` (which clears only synth's own folders)."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise UsageError(f"--out {out}: folder is not empty; pass --force to overwrite it")
        for name in SUBFOLDERS:
            shutil.rmtree(out / name, ignore_errors=True)
    try:
        for name in SUBFOLDERS:
            (out / name).mkdir(parents=True, exist_ok=True)
        probe = out / "ground_truth" / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot write there ({exc.strerror})") from exc


def synthesize(
    config: SynthConfig,
    *,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
    home: Path | None = None,
) -> dict[str, int]:
    """Generate the cohort into `config.out`; returns counts of what was written."""
    prepare_out(config.out, force)
    data, sites = encode(load_uci(home))
    copula = UciCopula.fit(data, sites)
    reports = load_iu_reports(home)
    context = _Context(config.seed, config.out, copula, reports, notes.index_reports(reports))
    rows, site_codes = copula.sample(config.patients, np.random.default_rng([config.seed, 2**32]))
    chunks = [list(range(a, min(a + CHUNK, config.patients))) for a in range(0, config.patients, CHUNK)]
    jobs = [(c, rows[c], site_codes[c]) for c in chunks]
    sinks = _Sinks(config.out)
    done = 0
    if config.workers == 1 or len(chunks) == 1:
        _init(context)
        results = map(_build_chunk, jobs)
        for chunk_files in results:
            done += sinks.take(chunk_files)
            if progress:
                progress(done)
    else:
        # loaded once here, inherited by forked workers
        import neurokit2  # type: ignore[import-untyped]  # noqa: F401

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        with ProcessPoolExecutor(
            config.workers,
            mp_context=multiprocessing.get_context(method),
            initializer=_init,
            initargs=(context,),
        ) as pool:
            for chunk_files in pool.map(_build_chunk, jobs):
                done += sinks.take(chunk_files)
                if progress:
                    progress(done)
    return sinks.close(config, copula)


class _Sinks:
    """The shared output files, appended to in patient order."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.buffers: dict[str, io.StringIO] = {t: io.StringIO() for t in RESOURCE_ORDER}
        self.counts: dict[str, int] = dict.fromkeys(RESOURCE_ORDER, 0)
        self.phi = (out / "ground_truth" / "phi.jsonl").open("w", encoding="utf-8", newline="\n")
        self.modalities = (out / "ground_truth" / "modalities.jsonl").open(
            "w", encoding="utf-8", newline="\n"
        )
        self.truth: list[dict[str, Any]] = []
        self.records: list[str] = []

    def take(self, chunk: list[PatientFiles]) -> int:
        for files in chunk:
            for kind, lines in files.resources.items():
                self.counts[kind] += len(lines)
                self.buffers[kind].write("".join(line + "\n" for line in lines))
            self.phi.write("".join(line + "\n" for line in files.phi))
            self.modalities.write("".join(line + "\n" for line in files.modalities))
            self.truth.append(files.truth)
            self.records.extend(files.records)
        return len(chunk)

    def close(self, config: SynthConfig, copula: UciCopula) -> dict[str, int]:
        self.phi.close()
        self.modalities.close()
        fhir = self.out / "fhir"
        output = []
        for kind in RESOURCE_ORDER:
            if self.counts[kind]:
                (fhir / f"{kind}.ndjson").write_text(
                    self.buffers[kind].getvalue(), encoding="utf-8", newline="\n"
                )
                output.append({"type": kind, "url": f"{kind}.ndjson", "count": self.counts[kind]})
        manifest = {
            "transactionTime": EXPORT_DATE.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "request": "https://ehr.example.org/fhir/$export?_type=" + ",".join(RESOURCE_ORDER),
            "requiresAccessToken": False,
            "output": output,
            "error": [],
        }
        (fhir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        (self.out / "wfdb" / "RECORDS").write_text("".join(r + "\n" for r in self.records), encoding="utf-8")
        truth = self.out / "ground_truth"
        with (truth / "patients.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(self.truth[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(self.truth)
        meta = {
            "generator": "healthfm.synth",
            "seed": config.seed,
            "patients": config.patients,
            "export_date": EXPORT_DATE.isoformat(),
            "uci_correlation": np.round(copula.correlation, 4).tolist(),
            "note": "Ground truth for evaluation only; ingestion must never read this folder.",
        }
        (truth / "cohort.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        return {**{k: v for k, v in self.counts.items() if v}, "ecg_records": len(self.records)}


def _build_chunk(job: tuple[list[int], np.ndarray, np.ndarray]) -> list[PatientFiles]:
    assert _CONTEXT is not None
    indices, rows, sites = job
    return [_build_patient(_CONTEXT, i, rows[k], int(sites[k])) for k, i in enumerate(indices)]


def _truth_row(p: Patient) -> dict[str, Any]:
    o = p.outcomes
    row: dict[str, Any] = {"patient": p.index, "site": p.site, "index_date": p.index_date.isoformat()}
    row.update({f"uci_{k}": v for k, v in asdict(p.uci).items()})
    row.update({f"latent_{k}": v for k, v in asdict(p.latent).items()})
    row.update(
        label_cad=int(p.cad),
        opted_out=int(p.opted_out),
        follow_up_days=o.follow_up_days,
        death=int(o.death_days is not None),
        death_days=o.death_days if o.death_days is not None else "",
        mace=int(o.mace_days is not None),
        mace_days=o.mace_days if o.mace_days is not None else "",
        mace_type=o.mace_type or "",
        hf_hosp=int(o.hf_hosp_days is not None),
        hf_hosp_days=o.hf_hosp_days if o.hf_hosp_days is not None else "",
    )
    return row


def _build_patient(ctx: _Context, i: int, row: np.ndarray, site: int) -> PatientFiles:
    rng = np.random.default_rng([ctx.seed, i])
    p = make_patient(i, row, site, ctx.copula.missing_rate[site], rng)
    who = make_identity(i, p.site, p.uci.male, p.birth_date, rng)
    fb = FhirPatient(ctx.seed, p, who, race=draw_race_ethnicity(ctx.seed, i, p.site))
    fb.patient_resource()
    files = PatientFiles(truth=_truth_row(p))
    known: list[str] = []
    for k, enc in enumerate(p.encounters):
        eid = fb.encounter(k, enc)
        known.extend(enc.new_conditions)
        _encounter_content(ctx, fb, files, p, who, k, eid, enc, known, rng)
    for kind in RESOURCE_ORDER:
        files.resources[kind] = [_jsonl(r) for r in fb.resources.get(kind, [])]
    for note in fb.phi:
        item: dict[str, Any] = {
            "file": f"fhir/{note.resource.split('/')[0]}.ndjson",
            "resource": note.resource,
            "path": note.path,
            "tag": note.tag,
            "value": note.value,
        }
        if note.start is not None:
            item.update(start=note.start, end=note.end)
        files.phi.append(_jsonl(item))
    return files


def _encounter_content(
    ctx: _Context,
    fb: FhirPatient,
    files: PatientFiles,
    p: Patient,
    who: Identity,
    k: int,
    eid: str,
    enc: Encounter,
    known: list[str],
    rng: np.random.Generator,
) -> None:
    obs = enc.observations
    moment = enc.start + timedelta(minutes=10)
    for n, (key, value) in enumerate(obs.items()):
        if key == "sbp":
            fb.blood_pressure(eid, k, moment, value, obs["dbp"])
        elif key != "dbp":
            fb.observation(
                eid, key, k, n, moment + timedelta(minutes=20 * (key not in ("heart_rate", "bmi"))), value
            )
    for cond in enc.new_conditions:
        fb.condition(eid, k, cond, enc.start)
    for med in enc.new_medications:
        fb.medication(eid, k, med, enc.start + timedelta(minutes=35))
    for proc in enc.procedures:
        fb.procedure(eid, k, proc, enc.start + timedelta(minutes=30))
        if proc == "stress":
            _stress(fb, p, eid, k, enc.start + timedelta(minutes=30))
        if proc == "angiography":
            u = p.uci
            grade = ("No significant", "Mild", "Moderate", "Severe", "Very severe")[u.num]
            text = f"{grade} obstructive coronary artery disease."
            if p.observed["ca"]:
                text += f" {u.ca} major vessel(s) with >50% stenosis on fluoroscopy."
            fb.report(
                eid,
                f"{k}/angio",
                concept(LOINC, "18745-0", "Cardiac catheterization study"),
                enc.start + timedelta(hours=1),
                conclusion=text,
            )
    if enc.ecg:
        _ecg(ctx, fb, files, p, who, k, eid, enc, rng)
    if enc.cxr:
        _cxr(ctx, fb, files, p, who, k, eid, enc, rng)
    if enc.note:
        if enc.kind == "IMP":
            tagged = notes.discharge_note(p, who, enc, rng)
            loinc = ("18842-5", "Discharge summary")
            when = enc.start + timedelta(days=enc.days)
        else:
            tagged = notes.clinic_note(p, who, enc, known, rng)
            loinc = ("11488-4", "Consult note") if enc.index else ("11506-3", "Progress note")
            when = enc.start + timedelta(minutes=50)
        fb.document(eid, f"{k}/note", loinc, when, tagged.text, tagged.spans)


def _stress(fb: FhirPatient, p: Patient, eid: str, k: int, when: datetime) -> None:
    u, seen = p.uci, p.observed
    if seen["thalch"]:
        fb.local_observation(
            eid,
            k,
            "max-heart-rate",
            "Maximum heart rate achieved on exercise test",
            when,
            {
                "valueQuantity": {
                    "value": u.thalch,
                    "unit": "/min",
                    "system": "http://unitsofmeasure.org",
                    "code": "/min",
                }
            },
        )
    if seen["oldpeak"]:
        fb.local_observation(
            eid,
            k,
            "st-depression",
            "ST depression induced by exercise relative to rest",
            when,
            {
                "valueQuantity": {
                    "value": u.oldpeak,
                    "unit": "mm",
                    "system": "http://unitsofmeasure.org",
                    "code": "mm",
                }
            },
        )
    if seen["exang"]:
        fb.local_observation(
            eid, k, "exercise-angina", "Exercise-induced angina", when, {"valueBoolean": u.exang}
        )
    if seen["slope"]:
        fb.local_observation(
            eid, k, "st-slope", "Slope of peak exercise ST segment", when, {"valueString": u.slope}
        )
    if seen["thal"]:
        fb.report(
            eid,
            f"{k}/thal",
            concept(
                "https://healthfm.example.org/fhir/CodeSystem/cardiology-local",
                "thallium-scan",
                "Thallium myocardial perfusion scan",
            ),
            when + timedelta(hours=3),
            conclusion=f"Perfusion: {u.thal}.",
        )


def _accession(p: Patient, k: int, kind: str) -> str:
    return f"{kind}{p.index:06d}{k:02d}"


def _ecg(
    ctx: _Context,
    fb: FhirPatient,
    files: PatientFiles,
    p: Patient,
    who: Identity,
    k: int,
    eid: str,
    enc: Encounter,
    rng: np.random.Generator,
) -> None:
    lat = p.latent
    q = lat.mi_territory if lat.prior_mi and (enc.start >= p.index_date or rng.random() < 0.5) else "none"
    hr = float(enc.observations.get("heart_rate", lat.heart_rate))
    state = ecg.EcgState(hr, lat.atrial_fibrillation, lat.st_depression_mv, lat.lvh_voltage, q)
    signal = ecg.simulate(state, rng)
    when = enc.start + timedelta(minutes=15)
    accession = _accession(p, k, "E")
    as_dicom = rng.random() < SHARE_ECG_AS_DICOM
    if as_dicom:
        rel = f"dicom/ECG_{accession}.dcm"
        uids = (
            dicom.uid(ctx.seed, "ecg-study", p.index, k),
            dicom.uid(ctx.seed, "ecg-series", p.index, k),
            dicom.uid(ctx.seed, "ecg-sop", p.index, k),
        )
        ds = dicom.write_ecg(ctx.out / rel, signal, who, p.uci.male, when, uids, accession)
        files.phi.extend(_dicom_phi(rel, ds))
        study = fb.imaging_study(eid, f"{k}/ecg", when, "ECG", uids, dicom.ECG_12_LEAD, "ECG 12 lead")
    else:
        record = f"ecg_{accession}"
        rel = f"wfdb/{record}.hea"
        comments = [
            f"patient_id: {who.mrn}",
            f"age: {p.uci.age}",
            f"sex: {'M' if p.uci.male else 'F'}",
            f"institution: {who.place.institution}",
            f"utc_offset: {utc_offset(who.place)}",
        ]
        base = (when.strftime("%d/%m/%Y"), when.strftime("%H:%M:%S"))
        ecg.write_wfdb(signal, ctx.out / "wfdb", record, comments, base)
        files.records.append(record)
        for tag, field_name, value in (
            ("MRN", "comments", who.mrn),
            ("INSTITUTION", "comments", who.place.institution),
            ("DATE", "base_date", base[0]),
        ):
            files.phi.append(_jsonl({"file": rel, "field": field_name, "tag": tag, "value": value}))
        study = None
    rhythm = "Atrial fibrillation" if lat.atrial_fibrillation else "Sinus rhythm"
    fb.procedure(eid, k, "ecg", when)
    fb.report(
        eid,
        f"{k}/ecg",
        concept(LOINC, "11524-6", "EKG study"),
        when,
        conclusion=f"{rhythm}, rate {hr:.0f}/min.",
        study=study,
    )
    files.modalities.append(
        _jsonl({"file": rel, "kind": "ecg", "patient": p.index, "encounter": k, "state": asdict(state)})
    )


def _cxr(
    ctx: _Context,
    fb: FhirPatient,
    files: PatientFiles,
    p: Patient,
    who: Identity,
    k: int,
    eid: str,
    enc: Encounter,
    rng: np.random.Generator,
) -> None:
    lat = p.latent
    decompensated = enc.kind == "IMP"
    state = dicom.ChestState(
        ctr=min(0.72, lat.ctr + 0.02 * decompensated),
        congestion=lat.congestion or decompensated,
        effusion=lat.effusion or (decompensated and rng.random() < 0.5),
    )
    pixels = dicom.chest_radiograph(state, rng)
    when = enc.start + timedelta(minutes=25)
    accession = _accession(p, k, "X")
    rel = f"dicom/CXR_{accession}.dcm"
    uids = (
        dicom.uid(ctx.seed, "cxr-study", p.index, k),
        dicom.uid(ctx.seed, "cxr-series", p.index, k),
        dicom.uid(ctx.seed, "cxr-sop", p.index, k),
    )
    ds = dicom.write_cxr(ctx.out / rel, pixels, who, p.uci.male, when, uids, accession)
    files.phi.extend(_dicom_phi(rel, ds))
    study = fb.imaging_study(eid, f"{k}/cxr", when, "DX", uids, dicom.DX_PRESENTATION, "XR CHEST PA")
    fb.procedure(eid, k, "cxr", when)
    category = notes.image_category(state.ctr > 0.5, state.congestion, state.effusion)
    pos, matched = notes.pick_report(ctx.groups, category, rng)
    report = ctx.reports[pos]
    tagged = notes.radiology_report(report, who, when, accession)
    fb.report(
        eid,
        f"{k}/cxr",
        concept(LOINC, "36643-5", "XR Chest 2 Views"),
        when + timedelta(hours=1),
        conclusion=report.impression,
        text=tagged.text,
        spans=tagged.spans,
        study=study,
    )
    files.modalities.append(
        _jsonl(
            {
                "file": rel,
                "kind": "cxr",
                "patient": p.index,
                "encounter": k,
                "state": asdict(state),
                "finding_category": category,
                "report_category": matched,
                "iu_report": report.uid,
            }
        )
    )


def _dicom_phi(rel: str, ds: Any) -> list[str]:
    out = []
    for keyword in dicom.DICOM_PHI_KEYWORDS:
        if keyword in ds:
            elem = ds[keyword]
            tag = f"({elem.tag.group:04X},{elem.tag.element:04X})"
            out.append(_jsonl({"file": rel, "keyword": keyword, "tag": tag, "value": str(elem.value)}))
    return out


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))
