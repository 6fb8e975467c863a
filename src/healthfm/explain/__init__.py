"""Explanations: attributions per modality, modality Shapley values, attention, counterfactuals, sanity checks."""
