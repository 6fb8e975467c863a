"""Prediction heads on the fused representation: classification, regression, survival."""

from healthfm.heads.base import Head, HeadConfig
from healthfm.heads.classification import ClassificationConfig, ClassificationHead
from healthfm.heads.regression import RegressionConfig, RegressionHead
from healthfm.heads.survival import SurvivalConfig, SurvivalHead, quantile_bin_edges

__all__ = [
    "ClassificationConfig",
    "ClassificationHead",
    "Head",
    "HeadConfig",
    "RegressionConfig",
    "RegressionHead",
    "SurvivalConfig",
    "SurvivalHead",
    "quantile_bin_edges",
]
