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


def load_alt(n: int, seed: int = 11) -> list[Doc]:
    docs = []
    for note in generate(n, seed):
        p = {k: tuple(v) for k, v in note.patient.items()}
        docs.append(Doc(note.text, note.spans, PatientIdentifiers(**p)))
    return docs


def load_blind(n: int, make: Any = None, seed: int = 0) -> list[Doc]:
    """A blind set (alt2, alt3): written by someone who never saw the scrubber; same note types."""
    docs = []
    for note in (make or generate_alt2)(n, seed):
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


SETS = ("synth", "alt", "alt2", "alt3", "alt4", "alt5", "alt6", "alt7")


def load_sets(args: argparse.Namespace, chosen: list[str]) -> dict[str, tuple[list[Doc], bool]]:
    """Result name -> (notes, score with the patient's record). alt7 is imported only when scored: it is
    a blind set, scored once with a frozen scrubber (alt4, alt5 and alt6 were, until the scrubber was
    developed on them)."""
    n = args.alt_notes
    sets: dict[str, tuple[list[Doc], bool]] = {}
    if "synth" in chosen:
        if not (args.synth / "ground_truth" / "phi.jsonl").exists():
            cmd = [
                "healthfm",
                "synth",
                "--patients",
                str(args.patients),
                "--seed",
                "7",
                "--out",
                str(args.synth),
            ]
            subprocess.run([*cmd, "--workers", "2"], check=True)
        sets["synth"] = (load_synth(args.synth), True)
    if "alt" in chosen:
        sets["alt"] = (load_alt(n), True)
        sets["alt_without_patient_record"] = (load_alt(n), False)
    if "alt2" in chosen:
        sets["alt2_dev"] = (load_blind(n), True)
        sets["alt2_dev_without_record"] = (load_blind(n), False)
    if "alt3" in chosen:
        sets["alt3_held_out"] = (load_blind(n, generate_alt3), True)
        sets["alt3_without_record"] = (load_blind(n, generate_alt3), False)
    if "alt4" in chosen:
        from phi_notes_alt4 import generate as generate_alt4

        sets["alt4_dev"] = (load_blind(n, generate_alt4), True)
        sets["alt4_dev_without_record"] = (load_blind(n, generate_alt4), False)
    if "alt5" in chosen:
        from phi_notes_alt5 import generate as generate_alt5

        sets["alt5_dev"] = (load_blind(n, generate_alt5), True)
        sets["alt5_dev_without_record"] = (load_blind(n, generate_alt5), False)
    if "alt6" in chosen:
        from phi_notes_alt6 import generate as generate_alt6

        sets["alt6_dev"] = (load_blind(n, generate_alt6), True)
        sets["alt6_dev_without_record"] = (load_blind(n, generate_alt6), False)
    if "alt7" in chosen:
        from phi_notes_alt7 import generate as generate_alt7

        sets["alt7_held_out"] = (load_blind(n, generate_alt7), True)
        sets["alt7_without_record"] = (load_blind(n, generate_alt7), False)
    return sets


def print_results(results: dict[str, dict[str, Any]]) -> None:
    """One scrubber: the table as before. Two (rules, rules+tagger): each figure as rules → union."""
    variants = list(results)
    sets = list(results[variants[0]])

    def pair(name: str, key: str, fmt: str) -> str:
        return " → ".join(format(results[v][name][key], fmt) for v in variants)

    w = 7 if len(variants) == 1 else 17
    print(" vs ".join(variants))
    print(
        f"{'set':28s} {'notes':>5s} {'tokens':>6s} {'recall':>{w}s} {'direct':>{w}s} {'prec':>{w}s} "
        f"{'notes/s':>{w}s}"
    )
    for name in sets:
        first = results[variants[0]][name]
        print(
            f"{name:28s} {first['notes']:5d} {first['phi_tokens']:6d} {pair(name, 'recall', '.4f'):>{w}s} "
            f"{pair(name, 'recall_direct', '.4f'):>{w}s} {pair(name, 'precision', '.3f'):>{w}s} "
            f"{pair(name, 'notes_per_s', '.0f'):>{w}s}"
        )
    cats = sorted({c for r in results.values() for res in r.values() for c in res["per_category"]})
    cw = 28 if len(variants) == 1 else 24
    print(f"\n{'category':14s}" + "".join(f"{n:>{cw}s}" for n in sets))
    for c in cats:
        row = []
        for name in sets:
            pcs = [results[v][name]["per_category"].get(c) for v in variants]
            if pcs[0] is None:
                row.append("-")
            elif len(variants) == 1:
                row.append(f"{pcs[0]['recall']:.4f} ({pcs[0]['tokens']})")
            else:
                row.append(" → ".join(f"{pc['recall']:.4f}" for pc in pcs) + f" ({pcs[0]['tokens']})")
        print(f"{c:14s}" + "".join(f"{x:>{cw}s}" for x in row))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--synth", type=Path, default=Path("/tmp/phi-synth"))
    ap.add_argument("--patients", type=int, default=200)
    ap.add_argument("--alt-notes", type=int, default=300)
    ap.add_argument(
        "--sets", default="synth,alt,alt2,alt3", help=f"comma-separated, of {','.join(SETS)} (alt7: blind)"
    )
    ap.add_argument("--ner-model", type=Path, help="a PHI tagger folder: score rules and rules ∪ tagger")
    ap.add_argument("--threads", type=int, default=1, help="torch threads for the tagger")
    ap.add_argument(
        "--out", type=Path, help="default results/phi.json (results/phi_ner.json with --ner-model)"
    )
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    chosen = [s for s in args.sets.split(",") if s]
    if set(chosen) - set(SETS):
        ap.error(f"unknown set(s) {sorted(set(chosen) - set(SETS))}; choose from {SETS}")
    scrubbers = {"rules": PhiScrubber(mode="tag")}
    if args.ner_model is not None:
        import torch

        from healthfm.privacy.ner import PhiTagger

        torch.set_num_threads(args.threads)
        scrubbers["rules+tagger"] = PhiScrubber(mode="tag", tagger=PhiTagger.load(args.ner_model))
    sets = load_sets(args, chosen)
    results = {
        variant: {name: score(docs, scrubber, with_patient) for name, (docs, with_patient) in sets.items()}
        for variant, scrubber in scrubbers.items()
    }
    print_results(results)
    if args.verbose:
        for variant, per_set in results.items():
            for name, r in per_set.items():
                print(f"\n== {variant} {name} misses"), print("\n".join(r["examples_missed"]))  # type: ignore[func-returns-value]
                print(f"== {variant} {name} false positives"), print("\n".join(r["examples_false_positive"]))  # type: ignore[func-returns-value]
    out = args.out or Path(__file__).parent / "results" / ("phi_ner.json" if args.ner_model else "phi.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    meta: dict[str, Any] = {
        "machine": f"{platform.machine()} {platform.processor() or ''} python {platform.python_version()}"
    }
    if args.ner_model is not None:
        config = json.loads((args.ner_model / "config.json").read_text())
        meta |= {"ner_model": str(args.ner_model), "threads": args.threads, "tagger": config}
        out.write_text(json.dumps({"meta": meta, **results}, indent=2) + "\n")
    else:
        out.write_text(json.dumps({"meta": meta, **results["rules"]}, indent=2) + "\n")


if __name__ == "__main__":
    main()
