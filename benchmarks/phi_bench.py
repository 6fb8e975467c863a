"""PHI scrubber benchmark: token recall (overall, per category, direct identifiers) and precision on the
virtual cohort's note ground truth and on an independently written note set (`phi_notes_alt.py`).

    .venv/bin/python benchmarks/phi_bench.py [--synth /tmp/phi-synth] [--patients 200]
"""

from __future__ import annotations

import argparse
import base64
import json
import platform
import re
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from healthfm.privacy.phi import PatientIdentifiers, PhiScrubber

sys.path.insert(0, str(Path(__file__).parent))
from phi_notes_alt import generate
from phi_notes_alt2 import generate as generate_alt2
from phi_notes_alt3 import generate as generate_alt3

DIRECT = {"NAME", "MRN", "SSN", "PHONE", "FAX", "EMAIL", "ADDRESS", "ZIP"}
SYNTH_TAGS = {"DOCTOR": "NAME", "ACCESSION": "OTHER_ID"}  # the synth's own tags → HIPAA kinds
TOKEN = re.compile(r"[^\W_]+")


@dataclass
class Doc:
    text: str
    truth: list[tuple[int, int, str]]
    patient: PatientIdentifiers


def patient_identifiers(res: dict) -> PatientIdentifiers:  # type: ignore[type-arg]
    names = tuple(" ".join([*n.get("given", []), n.get("family", "")]).strip() for n in res.get("name", []))
    addresses = tuple(
        v
        for a in res.get("address", [])
        for v in [*a.get("line", []), a.get("city"), a.get("postalCode")]
        if v
    )
    telecom = res.get("telecom", [])
    idents = res.get("identifier", [])
    return PatientIdentifiers(
        names=names,
        mrns=tuple(i["value"] for i in idents[:1]),
        addresses=addresses,
        phones=tuple(t["value"] for t in telecom if t.get("system") in ("phone", "fax")),
        emails=tuple(t["value"] for t in telecom if t.get("system") == "email"),
        other=tuple(i["value"] for i in idents[1:]),
    )


def load_synth(root: Path) -> list[Doc]:
    patients = {}
    for line in (root / "fhir" / "Patient.ndjson").read_text(encoding="utf-8").splitlines():
        res = json.loads(line)
        patients[f"Patient/{res['id']}"] = patient_identifiers(res)
    texts: dict[str, tuple[str, str]] = {}
    for kind, field in (("DocumentReference", "content"), ("DiagnosticReport", "presentedForm")):
        for line in (root / "fhir" / f"{kind}.ndjson").read_text(encoding="utf-8").splitlines():
            res = json.loads(line)
            if field not in res:
                continue
            part = res[field][0]
            data = (part.get("attachment") or part)["data"]
            texts[f"{kind}/{res['id']}"] = (
                base64.b64decode(data).decode("utf-8"),
                res["subject"]["reference"],
            )
    truth: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for line in (root / "ground_truth" / "phi.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item.get("resource") in texts and "start" in item:
            truth[item["resource"]].append(
                (item["start"], item["end"], SYNTH_TAGS.get(item["tag"], item["tag"]))
            )
    return [Doc(text, truth[rid], patients[subject]) for rid, (text, subject) in texts.items()]


def load_alt(n: int) -> list[Doc]:
    docs = []
    for note in generate(n):
        p = {k: tuple(v) for k, v in note.patient.items()}
        docs.append(Doc(note.text, note.spans, PatientIdentifiers(**p)))
    return docs


def load_blind(n: int, make: Any = None) -> list[Doc]:
    """A blind set (alt2, alt3): written by someone who never saw the scrubber; same note types."""
    docs = []
    for note in (make or generate_alt2)(n):
        p = note.patient
        patient = PatientIdentifiers(
            names=p.names, mrns=p.mrns, addresses=p.addresses, phones=p.phones, emails=p.emails, other=p.other
        )
        docs.append(Doc(note.text, [(s.start, s.end, s.category) for s in note.spans], patient))
    return docs


def score(docs: list[Doc], scrubber: PhiScrubber, with_patient: bool = True) -> dict[str, object]:
    hit: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    predicted = predicted_true = 0
    misses: list[str] = []
    fps: list[str] = []
    t0 = time.perf_counter()
    chars = 0
    for doc in docs:
        chars += len(doc.text)
        found = scrubber.find(doc.text, doc.patient if with_patient else None)
        covered = bytearray(len(doc.text))
        for s in found:
            covered[s.start : s.end] = b"\x01" * (s.end - s.start)
        gold = bytearray(len(doc.text))
        for start, end, cat in doc.truth:
            gold[start:end] = b"\x01" * (end - start)
            for tok in TOKEN.finditer(doc.text, start, end):
                ok = all(covered[tok.start() : tok.end()])
                total[cat] += 1
                hit[cat] += ok
                if not ok and len(misses) < 40:
                    misses.append(f"{cat}: {tok.group()!r} in {doc.text[max(0, start - 25) : end + 10]!r}")
        for tok in TOKEN.finditer(doc.text):
            if any(covered[tok.start() : tok.end()]):
                predicted += 1
                if any(gold[tok.start() : tok.end()]):
                    predicted_true += 1
                elif len(fps) < 40:
                    fps.append(f"{tok.group()!r} in {doc.text[max(0, tok.start() - 25) : tok.end() + 15]!r}")
    seconds = time.perf_counter() - t0
    n_total, n_hit = sum(total.values()), sum(hit.values())
    d_total = sum(v for k, v in total.items() if k in DIRECT)
    d_hit = sum(v for k, v in hit.items() if k in DIRECT)
    return {
        "notes": len(docs),
        "phi_tokens": n_total,
        "recall": n_hit / n_total,
        "recall_direct": d_hit / d_total,
        "precision": predicted_true / max(predicted, 1),
        "per_category": {k: {"tokens": total[k], "recall": hit[k] / total[k]} for k in sorted(total)},
        "notes_per_s": len(docs) / seconds,
        "mb_per_s": chars / seconds / 1e6,
        "examples_missed": misses[:15],
        "examples_false_positive": fps[:15],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--synth", type=Path, default=Path("/tmp/phi-synth"))
    ap.add_argument("--patients", type=int, default=200)
    ap.add_argument("--alt-notes", type=int, default=300)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "phi.json")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if not (args.synth / "ground_truth" / "phi.jsonl").exists():
        cmd = ["healthfm", "synth", "--patients", str(args.patients), "--seed", "7", "--out", str(args.synth)]
        subprocess.run([*cmd, "--workers", "2"], check=True)
    scrubber = PhiScrubber(mode="tag")
    results = {
        "synth": score(load_synth(args.synth), scrubber),
        "alt": score(load_alt(args.alt_notes), scrubber),
        "alt_without_patient_record": score(load_alt(args.alt_notes), scrubber, with_patient=False),
        "alt2_dev": score(load_blind(args.alt_notes), scrubber),
        "alt2_dev_without_record": score(load_blind(args.alt_notes), scrubber, with_patient=False),
        "alt3_held_out": score(load_blind(args.alt_notes, generate_alt3), scrubber),
        "alt3_without_record": score(load_blind(args.alt_notes, generate_alt3), scrubber, with_patient=False),
    }
    cats = sorted({c for r in results.values() for c in r["per_category"]})  # type: ignore[attr-defined]
    print(
        f"{'set':28s} {'notes':>5s} {'tokens':>6s} {'recall':>7s} {'direct':>7s} {'prec':>6s} {'notes/s':>8s}"
    )
    for name, r in results.items():
        print(
            f"{name:28s} {r['notes']:5d} {r['phi_tokens']:6d} {r['recall']:7.4f} {r['recall_direct']:7.4f} "
            f"{r['precision']:6.3f} {r['notes_per_s']:8.0f}"
        )
    print(f"\n{'category':14s}" + "".join(f"{n:>28s}" for n in results))
    for c in cats:
        row = []
        for r in results.values():
            pc = r["per_category"].get(c)  # type: ignore[attr-defined]
            row.append(f"{pc['recall']:.4f} ({pc['tokens']})" if pc else "-")
        print(f"{c:14s}" + "".join(f"{x:>28s}" for x in row))
    if args.verbose:
        for name, r in results.items():
            print(f"\n== {name} misses"), print("\n".join(r["examples_missed"]))  # type: ignore[func-returns-value]
            print(f"== {name} false positives"), print("\n".join(r["examples_false_positive"]))  # type: ignore[func-returns-value]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "machine": f"{platform.machine()} {platform.processor() or ''} python {platform.python_version()}"
    }
    args.out.write_text(json.dumps({"meta": meta, **results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
