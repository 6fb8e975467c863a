"""Evaluation: metrics with confidence intervals, calibration, baselines, fairness, reports, model cards."""
