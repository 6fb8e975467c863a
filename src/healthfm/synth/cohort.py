"""The latent patient model: UCI-grounded baseline, hidden disease state, history before and outcomes after
the index visit. Parameters come from the real data and the literature cited in docs/cohort.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

from healthfm.synth.copula import CATEGORIES, SITES, VARIABLES

EXPORT_DATE = datetime(2024, 6, 30, 23, 0, 0)  # the data export's fixed "now": determinism needs no clock
INDEX_FIRST = date(2016, 1, 1)
INDEX_SPAN_DAYS = 7 * 365  # index visits fall in 2016-2022

# Published hazard ratios (docs/cohort.md, "Outcomes").
CAD_HR = {0: 1.0, 1: 2.00, 2: 2.92, 3: 3.70, 4: 3.70}  # CONFIRM (Min 2011): 1-, 2-, 3-vessel / left main
LDL_HR_PER_MMOL = 1.28  # CTT (2010): 22% fewer events per mmol/L lower LDL
MGDL_PER_MMOL_LDL = 38.67


@dataclass(frozen=True)
class Uci:
    """The 13 UCI variables plus angiographic disease, decoded to their UCI meaning."""

    age: int
    male: bool
    cp: str
    trestbps: float
    chol: float
    fbs: bool
    restecg: str
    thalch: float
    exang: bool
    oldpeak: float
    slope: str
    ca: int
    thal: str
    num: int

    @classmethod
    def from_row(cls, row: np.ndarray) -> Uci:
        v = dict(zip(VARIABLES, row.tolist(), strict=True))
        return cls(
            age=round(v["age"]),
            male=bool(v["sex"] == 1),
            cp=CATEGORIES["cp"][int(v["cp"])],
            trestbps=float(v["trestbps"]),
            chol=float(v["chol"]),
            fbs=bool(v["fbs"] == 1),
            restecg=CATEGORIES["restecg"][int(v["restecg"])],
            thalch=float(v["thalch"]),
            exang=bool(v["exang"] == 1),
            oldpeak=float(v["oldpeak"]),
            slope=CATEGORIES["slope"][int(v["slope"])],
            ca=int(v["ca"]),
            thal=CATEGORIES["thal"][int(v["thal"])],
            num=int(v["num"]),
        )


@dataclass(frozen=True)
class Latent:
    """The hidden state every modality is drawn from (written only to ground_truth/)."""

    hypertension: bool
    diabetes: bool
    dyslipidemia: bool
    smoker: str  # never / former / current
    prior_mi: bool
    mi_territory: str  # inferior / anterior / none
    lvef: float
    heart_failure: str  # none / HFrEF / HFpEF
    atrial_fibrillation: bool
    bmi: float
    hdl: float
    triglycerides: float
    ldl: float
    hba1c: float
    glucose: float
    creatinine: float
    egfr: float
    troponin: float  # hs-cTnI, ng/L
    ntprobnp: float  # pg/mL
    heart_rate: float
    sbp: float
    dbp: float
    ctr: float  # cardiothoracic ratio on the radiograph
    congestion: bool
    effusion: bool
    st_depression_mv: float  # resting ST depression
    lvh_voltage: bool

    @property
    def ckd(self) -> bool:
        return self.egfr < 60


@dataclass
class Encounter:
    """One visit: what was measured, diagnosed, prescribed and done, and which documents it produced."""

    start: datetime
    kind: str  # AMB / IMP / EMER
    reason: str  # ICD-10-CM code of the visit reason
    days: int = 0  # length of stay
    observations: dict[str, float] = field(default_factory=dict)
    new_conditions: list[str] = field(default_factory=list)
    new_medications: list[str] = field(default_factory=list)
    procedures: list[str] = field(default_factory=list)
    ecg: bool = False
    cxr: bool = False
    note: bool = False
    index: bool = False


@dataclass(frozen=True)
class Outcomes:
    """Days from the index visit to each first event, or None, and the end of follow-up."""

    follow_up_days: int
    death_days: int | None
    mace_days: int | None
    mace_type: str | None  # MI / stroke / CV death
    hf_hosp_days: int | None


@dataclass
class Patient:
    index: int
    site: str
    uci: Uci
    latent: Latent
    birth_date: date
    index_date: datetime
    encounters: list[Encounter]
    outcomes: Outcomes
    opted_out: bool
    observed: dict[
        str, bool
    ]  # per UCI variable: whether the hospital recorded it (site-specific missingness)

    @property
    def cad(self) -> bool:
        return self.uci.num > 0


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _lognormal(rng: np.random.Generator, median: float, sigma: float) -> float:
    return float(median * math.exp(sigma * rng.standard_normal()))


def ckd_epi_2021(creatinine: float, age: int, male: bool) -> float:
    """eGFR (mL/min/1.73 m²), CKD-EPI 2021 race-free equation (Inker 2021)."""
    kappa, alpha = (0.9, -0.302) if male else (0.7, -0.241)
    ratio = creatinine / kappa
    egfr = 142 * min(ratio, 1.0) ** alpha * max(ratio, 1.0) ** -1.200 * 0.9938**age
    return float(egfr if male else egfr * 1.012)


def make_latent(u: Uci, rng: np.random.Generator) -> Latent:
    """Draw the hidden state from the UCI baseline; every effect is documented in docs/cohort.md."""
    r = rng.random
    hypertension = u.trestbps >= 140 or r() < 0.25
    diabetes = r() < (0.85 if u.fbs else 0.05)
    dyslipidemia = u.chol >= 240 or r() < 0.2
    smoker = str(rng.choice(["never", "former", "current"], p=[0.45, 0.30, 0.25]))
    prior_mi = r() < (0.02 if u.num == 0 else 0.12 + 0.06 * (u.num - 1))
    territory = str(rng.choice(["inferior", "anterior"])) if prior_mi else "none"
    lvef = 62 + 5 * rng.standard_normal() - (15 + 8 * abs(rng.standard_normal()) if prior_mi else 0)
    lvef = float(np.clip(lvef - (4 if u.num >= 3 else 0), 15, 75))
    lvh = u.restecg == "lv hypertrophy"
    p_hfpef = _sigmoid(-4.0 + 0.05 * (u.age - 60) + 0.8 * hypertension + 0.8 * lvh + 0.5 * diabetes)
    hf = "HFrEF" if lvef < 40 else ("HFpEF" if r() < p_hfpef else "none")
    af_base = 0.01 if u.age < 55 else 0.03 if u.age < 65 else 0.05 if u.age < 75 else 0.09
    af = r() < _sigmoid(_logit(af_base) + (math.log(4.5) if hf != "none" else 0))
    bmi = float(np.clip(28 + 4.5 * rng.standard_normal(), 17, 50))
    hdl = float(np.clip((45 if u.male else 56) + (11 if u.male else 14) * rng.standard_normal(), 20, 100))
    tg = float(np.clip(_lognormal(rng, 130, 0.45), 40, 800))
    ldl = float(max(30.0, u.chol - hdl - tg / 5))  # Friedewald
    hba1c = float(
        np.clip(7.6 + 1.2 * rng.standard_normal(), 6.5, 13)
        if diabetes
        else np.clip(5.5 + 0.35 * rng.standard_normal(), 4.3, 6.4)
    )
    glucose = float(
        np.clip(_lognormal(rng, 150, 0.2), 121, 350)
        if u.fbs
        else np.clip(96 + 10 * rng.standard_normal(), 70, 120)
    )
    creat_median = (1.0 if u.male else 0.85) * 1.004 ** (u.age - 50)
    creat_median *= (1.15 if diabetes else 1) * (1.1 if hypertension else 1) * (1.1 if hf != "none" else 1)
    creatinine = float(np.clip(_lognormal(rng, creat_median, 0.2), 0.4, 6))
    egfr = ckd_epi_2021(creatinine, u.age, u.male)
    tn_median = 3.5 * 1.35**u.num * (2.5 if hf != "none" else 1) * (1.5 if egfr < 60 else 1)
    tn_median *= (1.3 if lvh else 1) * 1.02 ** (u.age - 55)
    troponin = float(np.clip(_lognormal(rng, tn_median, 0.7), 1.0, 5000))
    bnp_median = 60 * 1.03 ** (u.age - 50) * (1.0 if u.male else 1.3) * 1.2**u.num
    bnp_median *= {"none": 1, "HFpEF": 6, "HFrEF": 15}[hf] * (2.5 if af else 1) * (1.8 if egfr < 60 else 1)
    ntprobnp = float(np.clip(_lognormal(rng, bnp_median, 0.8), 5, 35000))
    heart_rate = float(np.clip(72 + 10 * rng.standard_normal() + 15 * af + 6 * (hf != "none"), 45, 140))
    sbp = u.trestbps
    dbp = float(np.clip(0.45 * sbp + 20 + 7 * rng.standard_normal(), 45, sbp - 20))
    ctr = 0.45 + 0.035 * rng.standard_normal() + {"none": 0, "HFpEF": 0.03, "HFrEF": 0.06}[hf]
    ctr = float(np.clip(ctr + 0.02 * lvh + 0.008 * (u.age - 55) / 10, 0.35, 0.70))
    congestion = hf != "none" and r() < (0.55 if hf == "HFrEF" else 0.35)
    effusion = r() < (0.25 if hf != "none" else 0.02)
    st = float(rng.uniform(0.05, 0.2)) if u.restecg == "st-t abnormality" else 0.0
    return Latent(
        hypertension=hypertension,
        diabetes=diabetes,
        dyslipidemia=dyslipidemia,
        smoker=smoker,
        prior_mi=prior_mi,
        mi_territory=territory,
        lvef=round(lvef, 1),
        heart_failure=hf,
        atrial_fibrillation=af,
        bmi=round(bmi, 1),
        hdl=round(hdl),
        triglycerides=round(tg),
        ldl=round(ldl),
        hba1c=round(hba1c, 1),
        glucose=round(glucose),
        creatinine=round(creatinine, 2),
        egfr=round(egfr, 1),
        troponin=round(troponin, 1),
        ntprobnp=round(ntprobnp),
        heart_rate=round(heart_rate),
        sbp=sbp,
        dbp=round(dbp),
        ctr=round(ctr, 3),
        congestion=congestion,
        effusion=effusion,
        st_depression_mv=round(st, 3),
        lvh_voltage=lvh,
    )


def make_outcomes(u: Uci, lat: Latent, index_date: datetime, rng: np.random.Generator) -> Outcomes:
    """First death, MACE and heart-failure hospitalisation from exponential hazards (per year)."""
    age10 = (u.age - 60) / 10
    dm, ckd, hf = lat.diabetes, lat.ckd, lat.heart_failure
    af_hr = (1.5 if u.male else 1.9) if lat.atrial_fibrillation else 1.0
    death = 0.008 * 2.4**age10 * (1.8 if dm else 1) * (1.5 if ckd else 1) * af_hr * CAD_HR[u.num]
    death *= {"none": 1.0, "HFpEF": 2.0, "HFrEF": 3.0}[hf]
    mace = 0.012 * 1.8**age10 * CAD_HR[u.num] * (2.0 if dm else 1) * (1.5 if lat.prior_mi else 1)
    mace *= LDL_HR_PER_MMOL ** ((lat.ldl - 100) / MGDL_PER_MMOL_LDL)
    if hf == "HFrEF":
        hfh = 0.076
    elif hf == "HFpEF":
        hfh = 0.043
    else:
        m = u.male
        hfh = 0.004 * 2.0**age10 * ((2.07 if m else 3.35) if lat.hypertension else 1)
        hfh *= ((6.34 if m else 6.04) if lat.prior_mi else 1) * ((1.77 if m else 3.57) if dm else 1)
        hfh *= (2.17 if m else 2.65) if lat.lvh_voltage else 1

    def draw(rate_per_year: float) -> float:
        return float(rng.exponential(365.25 / rate_per_year))

    admin = (EXPORT_DATE - index_date).days
    follow = min(admin, int(draw(0.03)))  # 3 %/year lost to follow-up
    t_death, t_mace, t_hf = draw(death), draw(mace), draw(hfh)
    mace_type = str(rng.choice(["MI", "stroke", "CV death"], p=[0.5, 0.25, 0.25]))
    if mace_type == "CV death" and t_mace < t_death:
        t_death = t_mace
    death_days = int(t_death) if t_death <= follow else None
    end = death_days if death_days is not None else follow
    mace_days = int(t_mace) if t_mace <= end else None
    hf_days = int(t_hf) if t_hf < end else None
    if mace_days is not None and mace_type == "CV death":
        hf_days = hf_days if hf_days is not None and hf_days < mace_days else None
    return Outcomes(end, death_days, mace_days, mace_type if mace_days is not None else None, hf_days)


ICD = {
    "hypertension": "I10",
    "diabetes": "E11.9",
    "dyslipidemia": "E78.5",
    "prior_mi": "I25.2",
    "af": "I48.91",
    "HFrEF": "I50.22",
    "HFpEF": "I50.32",
    "ckd": "N18.30",
    "obesity": "E66.9",
}
MEDS_FOR = {
    "hypertension": ["lisinopril", "amlodipine"],
    "diabetes": ["metformin"],
    "dyslipidemia": ["atorvastatin"],
    "prior_mi": ["aspirin", "atorvastatin", "metoprolol"],
    "af": ["apixaban", "metoprolol"],
    "HFrEF": ["carvedilol", "furosemide", "spironolactone"],
    "HFpEF": ["furosemide"],
}


def _vitals(lat: Latent, rng: np.random.Generator, jitter: float) -> dict[str, float]:
    sbp = round(lat.sbp + jitter * 9 * rng.standard_normal())
    return {
        "sbp": sbp,
        "dbp": round(min(sbp - 15, lat.dbp + jitter * 6 * rng.standard_normal())),
        "heart_rate": round(max(40.0, lat.heart_rate + jitter * 7 * rng.standard_normal())),
        "bmi": round(lat.bmi + jitter * 0.8 * rng.standard_normal(), 1),
    }


def _labs(lat: Latent, rng: np.random.Generator, jitter: float, which: list[str]) -> dict[str, float]:
    base = {
        "troponin": lat.troponin,
        "ntprobnp": lat.ntprobnp,
        "ldl": lat.ldl,
        "hdl": lat.hdl,
        "triglycerides": lat.triglycerides,
        "hba1c": lat.hba1c,
        "glucose": lat.glucose,
        "creatinine": lat.creatinine,
    }
    digits = {"hba1c": 1, "creatinine": 2, "troponin": 1}
    return {
        k: round(base[k] * math.exp(jitter * 0.12 * rng.standard_normal()), digits.get(k, 0)) for k in which
    }


def make_patient(
    index: int, row: np.ndarray, site: int, missing_rate: np.ndarray, rng: np.random.Generator
) -> Patient:
    """One virtual patient: baseline from a copula draw, latent state, encounter history, outcomes."""
    u = Uci.from_row(row)
    lat = make_latent(u, rng)
    index_date = datetime.combine(INDEX_FIRST, datetime.min.time()) + timedelta(
        days=int(rng.integers(INDEX_SPAN_DAYS)),
        hours=int(rng.integers(8, 17)),
        minutes=int(rng.integers(0, 60)),
    )
    birth_date = (index_date - timedelta(days=int(365.25 * u.age + rng.integers(0, 365)))).date()
    observed = {v: bool(rng.random() >= missing_rate[j]) for j, v in enumerate(VARIABLES)}
    observed.update(age=True, sex=True, num=True, cp=True)

    conditions = [k for k in ("hypertension", "diabetes", "dyslipidemia", "prior_mi") if getattr(lat, k)]
    conditions += ["af"] * lat.atrial_fibrillation + [lat.heart_failure] * (lat.heart_failure != "none")
    conditions += ["ckd"] * lat.ckd + ["obesity"] * (lat.bmi >= 30)

    n_prior = 1 + int(rng.poisson(2.5))
    offsets = np.sort(rng.integers(30, 6 * 365, size=n_prior))[::-1]
    encounters: list[Encounter] = []
    for k, off in enumerate(offsets):
        start = index_date - timedelta(days=int(off), hours=int(rng.integers(-3, 3)))
        enc = Encounter(start=start, kind="AMB", reason="Z00.00", note=rng.random() < 0.5)
        enc.observations.update(_vitals(lat, rng, 1.0))
        labs = [
            name
            for name, p in (
                ("creatinine", 0.6),
                ("ldl", 0.4),
                ("hdl", 0.4),
                ("triglycerides", 0.4),
                ("hba1c", 0.6 if lat.diabetes else 0.15),
                ("glucose", 0.3),
            )
            if rng.random() < p
        ]
        enc.observations.update(_labs(lat, rng, 1.0, labs))
        enc.ecg = k == 0 and rng.random() < 0.15
        encounters.append(enc)
    for cond in conditions:  # each chronic condition is diagnosed at some earlier visit, or at the index
        if rng.random() < 0.75:
            enc = encounters[int(rng.integers(len(encounters)))]
            enc.new_conditions.append(cond)
            enc.new_medications.extend(m for m in MEDS_FOR.get(cond, []) if m not in enc.new_medications)

    idx = Encounter(start=index_date, kind="AMB", reason="R07.9", index=True, note=rng.random() < 0.95)
    idx.observations.update(_vitals(lat, rng, 0.0))
    if not observed["trestbps"]:
        del idx.observations["sbp"], idx.observations["dbp"]
    want = [("troponin", 0.85), ("ntprobnp", 0.7), ("creatinine", 0.9), ("hba1c", 0.6)]
    idx.observations.update(_labs(lat, rng, 0.0, [k for k, p in want if rng.random() < p]))
    if observed["chol"]:
        idx.observations.update(_labs(lat, rng, 0.0, ["ldl", "hdl", "triglycerides"]))
        idx.observations["cholesterol"] = u.chol
    if observed["fbs"]:
        idx.observations["glucose"] = lat.glucose
    idx.new_conditions = [c for c in conditions if not any(c in e.new_conditions for e in encounters)]
    if u.cp == "typical angina":
        idx.new_conditions.append("angina")
    idx.new_medications = sorted({m for c in idx.new_conditions for m in MEDS_FOR.get(c, [])})
    idx.ecg = rng.random() < 0.9
    idx.cxr = rng.random() < 0.7
    if rng.random() < 0.5:
        idx.procedures.append("echo")
        idx.observations["lvef"] = lat.lvef
    if any(observed[v] for v in ("thalch", "exang", "oldpeak")):
        idx.procedures.append("stress")
    encounters.append(idx)

    angio = Encounter(
        start=index_date + timedelta(days=int(rng.integers(3, 30)), hours=2),
        kind="AMB",
        reason="R07.9",
        procedures=["angiography"],
    )
    if u.num > 0:
        angio.new_conditions.append("cad")
        angio.new_medications = ["aspirin", "atorvastatin", "nitroglycerin"]
    encounters.append(angio)

    out = make_outcomes(u, lat, index_date, rng)
    events = [(out.hf_hosp_days, "hf"), (out.mace_days, out.mace_type)]
    for day, what in sorted((d, w) for d, w in events if d is not None and w not in (None, "CV death")):
        start = index_date + timedelta(days=max(day, 31), hours=int(rng.integers(0, 23)))
        code = {"hf": "I50.9", "MI": "I21.4", "stroke": "I63.9"}[str(what)]
        enc = Encounter(start=start, kind="IMP", reason=code, days=int(rng.integers(2, 9)), note=True)
        enc.observations.update(_vitals(lat, rng, 1.5))
        enc.observations.update(_labs(lat, rng, 1.0, ["creatinine"]))
        if what == "hf":
            enc.observations["ntprobnp"] = round(
                max(lat.ntprobnp, 1000) * 3 * math.exp(0.4 * rng.standard_normal())
            )
            enc.cxr = True
        if what == "MI":
            enc.observations["troponin"] = round(300 * math.exp(1.0 * rng.standard_normal()), 1)
            enc.ecg = True
            enc.procedures.append("pci")
        enc.new_conditions.append(str(what))
        encounters.append(enc)
    for year in range(1, 10):  # yearly clinic follow-up until the end of follow-up
        day = int(365 * year + rng.integers(-30, 30))
        if day >= out.follow_up_days:
            break
        if rng.random() < 0.8:
            enc = Encounter(start=index_date + timedelta(days=day), kind="AMB", reason="Z09")
            enc.observations.update(_vitals(lat, rng, 1.0))
            encounters.append(enc)
    encounters.sort(key=lambda e: e.start)
    return Patient(
        index=index,
        site=SITES[site],
        uci=u,
        latent=lat,
        birth_date=birth_date,
        index_date=index_date,
        encounters=encounters,
        outcomes=out,
        opted_out=bool(rng.random() < 0.03),
        observed=observed,
    )
