"""Heads: losses against references, the censored survival likelihood, learning, round trips."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

from healthfm.heads import (
    ClassificationConfig,
    ClassificationHead,
    Head,
    RegressionConfig,
    RegressionHead,
    SurvivalConfig,
    SurvivalHead,
    quantile_bin_edges,
)
from healthfm.registry import HEADS
from healthfm.train.metrics import harrell_c


def test_classification_losses_match_torch() -> None:
    x = torch.randn(5, 8)
    binary = ClassificationHead(ClassificationConfig(d_model=8, num_outputs=1, kind="binary", dropout=0.0))
    y = torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0])
    logits = binary(x)
    assert logits.shape == (5,)
    torch.testing.assert_close(
        binary.loss(logits, y), F.binary_cross_entropy_with_logits(logits, y, reduction="none")
    )
    multi = ClassificationHead(ClassificationConfig(d_model=8, num_outputs=3, kind="multiclass", dropout=0.0))
    yc = torch.tensor([0, 2, 1, 1, 0])
    lc = multi(x)
    torch.testing.assert_close(multi.loss(lc, yc), F.cross_entropy(lc, yc, reduction="none"))
    torch.testing.assert_close(multi.predict(lc).sum(-1), torch.ones(5))
    ml = ClassificationHead(ClassificationConfig(d_model=8, num_outputs=4, kind="multilabel", dropout=0.0))
    assert ml.loss(ml(x), torch.zeros(5, 4)).shape == (5,)


def test_pos_weight_weights_positives() -> None:
    head = ClassificationHead(ClassificationConfig(d_model=4, kind="binary", pos_weight=3.0))
    logits = torch.zeros(2)
    loss = head.loss(logits, torch.tensor([1.0, 0.0]))
    assert loss[0] == pytest.approx(3 * math.log(2), rel=1e-5) and loss[1] == pytest.approx(
        math.log(2), rel=1e-5
    )


def test_regression_is_standardised() -> None:
    head = RegressionHead(RegressionConfig(d_model=4, target_mean=60.0, target_scale=10.0))
    logits = torch.tensor([0.0, 1.0])
    assert head.predict(logits).tolist() == [60.0, 70.0]
    assert head.loss(logits, torch.tensor([60.0, 70.0])).abs().max() == 0


def test_survival_likelihood_by_hand() -> None:
    head = SurvivalHead(SurvivalConfig(d_model=4, bin_edges_days=(0.0, 100.0, 200.0, 300.0)))
    logits = torch.tensor([[0.0, 1.0, -1.0]] * 4)
    h = torch.sigmoid(logits[0])
    days = torch.tensor([150.0, 150.0, 50.0, 400.0])
    observed = torch.tensor([True, False, True, True])
    loss = head.loss(logits, days, observed)
    event_bin1 = -(torch.log(1 - h[0]) + torch.log(h[1]))
    censored_bin1 = -torch.log(1 - h[0])
    event_bin0 = -torch.log(h[0])
    beyond = -torch.log(1 - h).sum()  # an event after the horizon counts as surviving every bin
    torch.testing.assert_close(loss, torch.stack([event_bin1, censored_bin1, event_bin0, beyond]))
    surv = head.survival_curve(logits)
    assert (surv[:, 1:] <= surv[:, :-1]).all()


def test_survival_head_learns_a_risk_ordering() -> None:
    rng = np.random.default_rng(0)
    n = 600
    x = rng.normal(size=(n, 4)).astype(np.float32)
    hazard = np.exp(1.2 * x[:, 0]) / 800
    t_event = rng.exponential(1 / hazard)
    t_cens = rng.uniform(100, 1500, n)
    days = np.minimum(t_event, t_cens)
    observed = t_event <= t_cens
    edges = quantile_bin_edges(days[observed], 6, 1500.0)
    head = SurvivalHead(SurvivalConfig(d_model=4, bin_edges_days=edges, dropout=0.0))
    opt = torch.optim.Adam(head.parameters(), lr=0.05)
    xt, dt_, ot = torch.from_numpy(x), torch.from_numpy(days.astype(np.float32)), torch.from_numpy(observed)
    for _ in range(200):
        opt.zero_grad()
        head.loss(head(xt), dt_, ot).mean().backward()
        opt.step()
    with torch.no_grad():
        risk = head.predict(head(xt)).numpy()
    assert harrell_c(days, observed, risk) > 0.7


def test_bad_head_configs() -> None:
    with pytest.raises(ValueError, match="bin_edges_days"):
        SurvivalConfig(bin_edges_days=(10.0, 5.0))
    with pytest.raises(ValueError, match="one output"):
        ClassificationConfig(kind="binary", num_outputs=2)
    with pytest.raises(ValueError, match="unknown option"):
        ClassificationConfig.from_dict({"classes": 3})


@pytest.mark.parametrize("name", HEADS.names())
def test_every_registered_head_round_trips_and_is_finite(name: str, tmp_path: Path) -> None:
    cls = HEADS.get(name)
    assert isinstance(cls, type) and issubclass(cls, Head)
    kind = cls.task_kinds[0]
    extra: dict[str, object] = {"kind": kind} if name == "classification" else {}
    head = cls(cls.config_class.from_dict({"d_model": 8, "dropout": 0.0, **extra})).eval()
    again = cls(cls.config_class.from_dict(json.loads(json.dumps(head.config.to_dict())))).eval()
    save_file({k: v.contiguous() for k, v in head.state_dict().items()}, str(tmp_path / "h.safetensors"))
    again.load_state_dict(load_file(str(tmp_path / "h.safetensors")))
    x = torch.randn(6, 8)
    torch.testing.assert_close(again(x), head(x))
    logits = head(x)
    targets = torch.rand(6) * 400 if kind == "survival" else torch.randint(0, 2, (6,)).float()
    observed = torch.tensor([True, False] * 3)
    head.train()
    loss = head.loss(head(x), targets, observed)
    assert loss.shape == (6,) and torch.isfinite(loss).all()
    loss.mean().backward()
    assert torch.isfinite(head.predict(logits)).all()
