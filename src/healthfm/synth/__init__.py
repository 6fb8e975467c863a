"""The virtual cardiology cohort: a latent patient model grounded in real data, written as standard files."""

from __future__ import annotations

from typing import Any

__all__ = ["SynthConfig", "synthesize"]


def __getattr__(name: str) -> Any:
    # The generator pulls in scipy, pydicom and neurokit2; import them only when used,
    # so `healthfm --help` stays fast.
    if name in __all__:
        from healthfm.synth import writer

        return getattr(writer, name)
    raise AttributeError(f"module 'healthfm.synth' has no attribute {name!r}")
