"""Explanations: attributions per modality, modality Shapley values, attention, counterfactuals and
sanity checks.

`explain_sample` explains one prediction of a loaded model; `explain_subject` does it from a run folder
(`healthfm explain --run RUN --subject ID`). See docs/explanations.md.
"""

from healthfm.explain.attention import AttentionMap, attention_map
from healthfm.explain.core import Prediction, Target
from healthfm.explain.counterfactual import MODIFIABLE, Counterfactual, Modifiable, counterfactual
from healthfm.explain.explanation import EXPLANATION_FILE, ExplainConfig, Explanation, explain_sample
from healthfm.explain.integrated import BASELINES, IGConfig, RawAttribution, integrated_gradients
from healthfm.explain.sanity import SanityReport, model_randomisation_check, randomised_copy
from healthfm.explain.shapley import ModalityShapley, modality_shapley
from healthfm.explain.subject import explain_subject, find_sample, run_sanity
from healthfm.explain.units import ModalityAttribution

__all__ = [
    "BASELINES",
    "EXPLANATION_FILE",
    "MODIFIABLE",
    "AttentionMap",
    "Counterfactual",
    "ExplainConfig",
    "Explanation",
    "IGConfig",
    "ModalityAttribution",
    "ModalityShapley",
    "Modifiable",
    "Prediction",
    "RawAttribution",
    "SanityReport",
    "Target",
    "attention_map",
    "counterfactual",
    "explain_sample",
    "explain_subject",
    "find_sample",
    "integrated_gradients",
    "modality_shapley",
    "model_randomisation_check",
    "randomised_copy",
    "run_sanity",
]
