"""One canonical UCUM unit per code, and the conversions that bring a measured value to it.

Codes listed in `CANONICAL` are always stored in their canonical unit; a value in a unit that cannot
be converted is refused (the reader quarantines it). Codes not listed keep their value as given.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# code -> canonical UCUM unit
CANONICAL: dict[str, str] = {
    "LOINC/8867-4": "/min",  # heart rate
    "LOINC/9279-1": "/min",  # respiratory rate
    "LOINC/8480-6": "mm[Hg]",  # systolic blood pressure
    "LOINC/8462-4": "mm[Hg]",  # diastolic blood pressure
    "LOINC/8310-5": "Cel",  # body temperature
    "LOINC/29463-7": "kg",  # body weight
    "LOINC/3141-9": "kg",  # body weight, measured
    "LOINC/8302-2": "cm",  # body height
    "LOINC/39156-5": "kg/m2",  # BMI
    "LOINC/59408-5": "%",  # SpO2 by pulse oximetry
    "LOINC/2708-6": "%",  # SaO2
    "LOINC/10230-1": "%",  # LV ejection fraction
    "LOINC/2339-0": "mg/dL",  # glucose, blood
    "LOINC/2345-7": "mg/dL",  # glucose, serum/plasma
    "LOINC/1558-6": "mg/dL",  # fasting glucose
    "LOINC/2093-3": "mg/dL",  # total cholesterol
    "LOINC/13457-7": "mg/dL",  # LDL, calculated
    "LOINC/18262-6": "mg/dL",  # LDL, direct
    "LOINC/2089-1": "mg/dL",  # LDL
    "LOINC/2085-9": "mg/dL",  # HDL
    "LOINC/2571-8": "mg/dL",  # triglycerides
    "LOINC/2160-0": "mg/dL",  # creatinine
    "LOINC/4548-4": "%",  # HbA1c (NGSP)
    "LOINC/17856-6": "%",  # HbA1c by HPLC
    "LOINC/89579-7": "ng/L",  # troponin I, high sensitivity
    "LOINC/10839-9": "ng/L",  # troponin I
    "LOINC/67151-1": "ng/L",  # troponin T, high sensitivity
    "LOINC/33762-6": "pg/mL",  # NT-proBNP
    "LOINC/30934-4": "pg/mL",  # BNP
    "LOINC/2823-3": "mmol/L",  # potassium
    "LOINC/2951-2": "mmol/L",  # sodium
    "LOINC/718-7": "g/dL",  # haemoglobin
}

# code -> mg/dL per mmol/L (molar mass / 10): lets mass and molar concentrations meet
MOLAR: dict[str, float] = {
    **dict.fromkeys(("LOINC/2339-0", "LOINC/2345-7", "LOINC/1558-6"), 18.016),  # glucose
    **dict.fromkeys(("LOINC/2093-3", "LOINC/13457-7", "LOINC/18262-6", "LOINC/2089-1"), 38.67),
    "LOINC/2085-9": 38.67,  # HDL cholesterol
    "LOINC/2571-8": 88.57,  # triglycerides
    "LOINC/2160-0": 11.312,  # creatinine (1 mg/dL = 88.4 umol/L)
}
HBA1C = frozenset({"LOINC/4548-4", "LOINC/17856-6"})


@dataclass(frozen=True)
class _Unit:
    dimension: str
    factor: float  # to the dimension's base unit: base = (value + offset) * factor
    offset: float = 0.0


_UNITS: dict[str, _Unit] = {
    # mass concentration, base mg/dL
    "mg/dL": _Unit("mass/vol", 1.0),
    "g/dL": _Unit("mass/vol", 1000.0),
    "g/L": _Unit("mass/vol", 100.0),
    "mg/L": _Unit("mass/vol", 0.1),
    "ug/mL": _Unit("mass/vol", 0.1),
    "ug/L": _Unit("mass/vol", 1e-4),
    "ng/mL": _Unit("mass/vol", 1e-4),
    "ng/L": _Unit("mass/vol", 1e-7),
    "pg/mL": _Unit("mass/vol", 1e-7),
    # substance concentration, base mmol/L
    "mmol/L": _Unit("mol/vol", 1.0),
    "umol/L": _Unit("mol/vol", 1e-3),
    "mol/L": _Unit("mol/vol", 1e3),
    "meq/L": _Unit("mol/vol", 1.0),  # monovalent ions
    # mass, base kg
    "kg": _Unit("mass", 1.0),
    "g": _Unit("mass", 1e-3),
    "[lb_av]": _Unit("mass", 0.45359237),
    "[oz_av]": _Unit("mass", 0.028349523125),
    # length, base cm
    "cm": _Unit("length", 1.0),
    "m": _Unit("length", 100.0),
    "mm": _Unit("length", 0.1),
    "[in_i]": _Unit("length", 2.54),
    "[ft_i]": _Unit("length", 30.48),
    # pressure, base mm[Hg]
    "mm[Hg]": _Unit("pressure", 1.0),
    "kPa": _Unit("pressure", 7.50061683),
    "Pa": _Unit("pressure", 7.50061683e-3),
    # temperature, base Cel
    "Cel": _Unit("temperature", 1.0),
    "[degF]": _Unit("temperature", 5.0 / 9.0, -32.0),
    "K": _Unit("temperature", 1.0, -273.15),
    # rates, base /min
    "/min": _Unit("rate", 1.0),
    "/s": _Unit("rate", 60.0),
    "/h": _Unit("rate", 1.0 / 60.0),
    # ratios
    "%": _Unit("fraction", 1.0),
    "1": _Unit("fraction", 100.0),
    "mmol/mol": _Unit("hba1c-ifcc", 1.0),
    "kg/m2": _Unit("bmi", 1.0),
}

# spellings met in the wild -> UCUM
_ALIASES: dict[str, str] = {
    "mg/dl": "mg/dL",
    "g/dl": "g/dL",
    "g/l": "g/L",
    "mg/l": "mg/L",
    "ug/ml": "ug/mL",
    "µg/ml": "ug/mL",
    "ug/l": "ug/L",
    "µg/l": "ug/L",
    "ng/ml": "ng/mL",
    "ng/l": "ng/L",
    "pg/ml": "pg/mL",
    "mmol/l": "mmol/L",
    "umol/l": "umol/L",
    "µmol/l": "umol/L",
    "mol/l": "mol/L",
    "meq/l": "meq/L",
    "lb": "[lb_av]",
    "lbs": "[lb_av]",
    "oz": "[oz_av]",
    "in": "[in_i]",
    "inch": "[in_i]",
    "ft": "[ft_i]",
    "mmhg": "mm[Hg]",
    "mm hg": "mm[Hg]",
    "kpa": "kPa",
    "cel": "Cel",
    "°c": "Cel",
    "degc": "Cel",
    "c": "Cel",
    "°f": "[degF]",
    "degf": "[degF]",
    "f": "[degF]",
    "{beats}/min": "/min",
    "beats/min": "/min",
    "bpm": "/min",
    "{breaths}/min": "/min",
    "breaths/min": "/min",
    "min-1": "/min",
    "kg/m^2": "kg/m2",
    "kg/m²": "kg/m2",
    "percent": "%",
}


class UnitError(ValueError):
    """A value whose unit cannot be brought to its code's canonical unit."""


def ucum(unit: str) -> str | None:
    """The UCUM code for a unit spelling, or None when it is not one this module knows."""
    if unit in _UNITS:
        return unit
    return _ALIASES.get(unit.strip().lower())


@lru_cache(maxsize=4096)
def converter(code: str, unit: str | None) -> tuple[float, float] | str:
    """`(scale, shift)` taking a value in `unit` to `code`'s canonical unit, or the reason it cannot."""
    canonical = CANONICAL.get(code)
    if canonical is None:
        return (1.0, 0.0)
    if not unit:
        return f"no unit given for {code}, whose canonical unit is {canonical}"
    source = ucum(unit)
    if source is None:
        return f"unknown unit {unit!r} for {code} (canonical {canonical})"
    if source == canonical:
        return (1.0, 0.0)
    if code in HBA1C and {source, canonical} == {"%", "mmol/mol"}:  # IFCC = (NGSP - 2.15) * 10.929
        return (1 / 10.929, 2.15) if source == "mmol/mol" else (10.929, -2.15 * 10.929)
    a, b = _UNITS[source], _UNITS[canonical]
    scale = a.factor / b.factor
    if a.dimension != b.dimension:
        if {a.dimension, b.dimension} != {"mass/vol", "mol/vol"} or code not in MOLAR:
            return f"unit {unit!r} cannot be converted to {canonical} for {code}"
        scale *= MOLAR[code] if a.dimension == "mol/vol" else 1 / MOLAR[code]
    # base = (v + a.offset) * a.factor;  out = base / b.factor - b.offset
    return (scale, a.offset * scale - b.offset)


def to_canonical(code: str, value: float, unit: str | None) -> tuple[float, str | None]:
    """`value` in `code`'s canonical unit (and that unit); raises `UnitError` when it cannot be."""
    conv = converter(code, unit)
    if isinstance(conv, str):
        raise UnitError(conv)
    return value * conv[0] + conv[1], CANONICAL.get(code, unit)


def canonical_unit(code: str) -> str | None:
    return CANONICAL.get(code)
