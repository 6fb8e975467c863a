"""Fusion of per-modality encoder outputs: attention (default), early and late baselines."""

from healthfm.fusion.attention import AttentionFusion, AttentionFusionConfig
from healthfm.fusion.base import Fusion, FusionConfig, FusionOutput
from healthfm.fusion.early import EarlyFusion, EarlyFusionConfig
from healthfm.fusion.late import LateFusion, LateFusionConfig

__all__ = [
    "AttentionFusion",
    "AttentionFusionConfig",
    "EarlyFusion",
    "EarlyFusionConfig",
    "Fusion",
    "FusionConfig",
    "FusionOutput",
    "LateFusion",
    "LateFusionConfig",
]
