"""Encoder and fusion specs from a size preset, the fitted processors and per-modality overrides.

Shared by fine-tuning and pretraining so that both build the same architecture from the same options.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from healthfm.encoders.base import Encoder
from healthfm.model import ComponentSpec
from healthfm.registry import ENCODERS
from healthfm.schema import Modality


def encoder_specs(
    modalities: Iterable[str],
    preset: str,
    processors: Mapping[Modality, Any],
    overrides: Mapping[str, Mapping[str, Any]],
) -> dict[str, ComponentSpec]:
    """Per modality: the preset's options, then what the processor fixes (vocabulary, leads, image
    size), then the user's overrides; options the encoder's config does not know are left out."""
    specs = {}
    for m in modalities:
        cls = ENCODERS.get(m)  # encoders are registered under their modality's name
        assert isinstance(cls, type) and issubclass(cls, Encoder)
        options = {
            **cls.PRESETS[preset],
            **processors[Modality(m)].encoder_options(),
            **overrides.get(m, {}),
        }
        known = {f.name for f in dataclasses.fields(cls.config_class)}
        specs[m] = ComponentSpec(
            cls.name, {k: v for k, v in options.items() if k in known and k != "d_model"}
        )
    return specs
