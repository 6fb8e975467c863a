"""A tiny fine-tuned model served from the shared cohort store (read-only: the server's catalog is a
separate SQLite file here), API keys for two sites, and a running app (FastAPI TestClient)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch

from healthfm.serve import ServeSettings, create_app, issue_key
from healthfm.serve.auth import SCOPES
from healthfm.serve.inputs import site_of
from healthfm.store.catalog import Catalog
from healthfm.store.patient_store import PatientStore
from healthfm.train.finetune import finetune
from healthfm.train.loop import TrainConfig
from tests.model.conftest import tiny_config

os.environ.setdefault("OMP_NUM_THREADS", "1")
torch.set_num_threads(1)

MODEL = "cardiac_disease"
COHORT_KEY = "k" * 32  # the cohort fixture's privacy-gate key


@dataclass
class Served:
    store: PatientStore
    run: Path
    catalog_url: str
    key_file: Path
    review_dir: Path
    sites: dict[str, list[int]]  # site → subject pseudonyms

    def settings(self, **changes: object) -> ServeSettings:
        base = ServeSettings(
            store=self.store.root,
            model=MODEL,
            catalog_url=self.catalog_url,
            pseudonym_key_file=self.key_file,
            jwt_secret="s" * 40,
            review_dir=self.review_dir,
            request_timeout_s=30.0,
        )
        return dataclasses.replace(base, **changes)  # type: ignore[arg-type]

    def catalog(self) -> Catalog:
        return Catalog.open(self.catalog_url)

    def key(self, site: str, *scopes: str) -> str:
        with self.catalog() as cat:
            secret, _ = issue_key(
                cat, name=f"test {site}", site=site, scopes=list(scopes or SCOPES), actor="test"
            )
        return secret


@pytest.fixture(scope="session")
def served(cohort_store: PatientStore, tmp_path_factory: pytest.TempPathFactory) -> Served:
    root = tmp_path_factory.mktemp("serve")
    cfg = dataclasses.replace(
        tiny_config(MODEL), train=TrainConfig(epochs=1, batch_size=16, lr=3e-3, patience=10)
    )
    run = root / "run"
    finetune(cohort_store, cfg, run, register=False)
    url = f"sqlite:///{root / 'catalog.sqlite'}"
    with Catalog.open(url) as cat:
        for _ in range(2):  # two versions of one run: the hot swap changes the version served
            cat.register_model(MODEL, config={}, artefact_uri=(run / "best").resolve().as_uri())
        cat.set_model_status(MODEL, 1, "active")
    key_file = root / "pseudonym.key"
    key_file.write_text(COHORT_KEY)
    sites: dict[str, list[int]] = {}
    for sid in cohort_store.subjects():
        sites.setdefault(site_of(cohort_store.timeline(int(sid))), []).append(int(sid))
    return Served(cohort_store, run, url, key_file, root / "review", sites)


@pytest.fixture(scope="session")
def two_sites(served: Served) -> tuple[str, str]:
    ranked = sorted((s for s in served.sites if s != "unknown"), key=lambda s: -len(served.sites[s]))
    return ranked[0], ranked[1]


@pytest.fixture(scope="module")
def client(served: Served) -> Iterator[object]:
    from fastapi.testclient import TestClient

    with TestClient(create_app(served.settings())) as c:
        yield c
