"""Readable names for common codes (LOINC short names, ICD-10-CM and RxNorm descriptions): an explanation
says "LDL cholesterol (LOINC/13457-7)" where it can. Store descriptions (MEDS codes.parquet) come first."""

from __future__ import annotations

from healthfm.data.tabular import AGE_FEATURE, SEX_FEATURE

CODE_NAMES: dict[str, str] = {
    # vital signs and labs
    "LOINC/8867-4": "heart rate",
    "LOINC/8480-6": "systolic blood pressure",
    "LOINC/8462-4": "diastolic blood pressure",
    "LOINC/39156-5": "BMI",
    "LOINC/2093-3": "total cholesterol",
    "LOINC/13457-7": "LDL cholesterol",
    "LOINC/2085-9": "HDL cholesterol",
    "LOINC/2571-8": "triglycerides",
    "LOINC/4548-4": "HbA1c",
    "LOINC/1558-6": "fasting glucose",
    "LOINC/2160-0": "creatinine",
    "LOINC/89579-7": "troponin I (hs)",
    "LOINC/33762-6": "NT-proBNP",
    "LOINC/10230-1": "LV ejection fraction",
    "LOINC/72166-2": "smoking status",
    # diagnoses
    "ICD10CM/I10": "hypertension",
    "ICD10CM/E11.9": "type 2 diabetes",
    "ICD10CM/E78.5": "hyperlipidaemia",
    "ICD10CM/E66.9": "obesity",
    "ICD10CM/N18.30": "chronic kidney disease stage 3",
    "ICD10CM/I20.9": "angina pectoris",
    "ICD10CM/I21.4": "NSTEMI",
    "ICD10CM/I25.10": "coronary artery disease",
    "ICD10CM/I25.2": "old myocardial infarction",
    "ICD10CM/I48.91": "atrial fibrillation",
    "ICD10CM/I50.22": "chronic systolic heart failure",
    "ICD10CM/I50.32": "chronic diastolic heart failure",
    "ICD10CM/I50.9": "heart failure",
    "ICD10CM/I63.9": "cerebral infarction",
    # medications (RxNorm ingredients)
    "RXNORM/1191": "aspirin",
    "RXNORM/83367": "atorvastatin",
    "RXNORM/6918": "metoprolol",
    "RXNORM/29046": "lisinopril",
    "RXNORM/17767": "amlodipine",
    "RXNORM/6809": "metformin",
    "RXNORM/4603": "furosemide",
    "RXNORM/1364430": "apixaban",
    "RXNORM/4917": "nitroglycerin",
    "RXNORM/20352": "carvedilol",
    "RXNORM/9997": "spironolactone",
    # derived features
    AGE_FEATURE: "age",
    SEX_FEATURE: "sex",
}
