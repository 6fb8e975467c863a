"""Each pretraining objective: what it hides, what it predicts, and that training lowers its own loss."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import torch

from healthfm.model import ComponentSpec
from healthfm.objectives.base import ObjectiveConfig
from healthfm.objectives.contrastive import ContrastiveConfig, info_nce
from healthfm.objectives.masked_patches import MaskedPatchConfig, to_regions
from healthfm.objectives.next_event import cut_timelines
from healthfm.objectives.views import split_views
from healthfm.pretrain.model import BackboneConfig, PretrainModel
from healthfm.pretrain.retrieval import recall_at_k
from healthfm.pretrain.run import PretrainConfig, mean_losses
from healthfm.schema import Modality, ModalityInput
from tests.pretrain.conftest import TinyPretrain

# the modalities each objective's test model is built with (fewer encoders: a quicker test)
NEEDS = {
    "masked_events": ("events",),
    "next_event": ("events",),
    "masked_signal": ("signal",),
    "masked_image": ("image",),
    "contrastive": ("events", "tabular", "signal"),
    "views": ("events", "tabular", "signal"),
}


def _backbone(tiny: TinyPretrain, modalities: tuple[str, ...]) -> BackboneConfig:
    fusion = ComponentSpec(tiny.backbone.fusion.name, dict(tiny.backbone.fusion.config))
    return dataclasses.replace(
        tiny.backbone, encoders={m: tiny.backbone.encoders[m] for m in modalities}, fusion=fusion
    )


@pytest.mark.parametrize("name", sorted(NEEDS))
def test_training_lowers_each_objectives_own_loss(tiny_pretrain: TinyPretrain, name: str) -> None:
    torch.manual_seed(0)
    model = PretrainModel(_backbone(tiny_pretrain, NEEDS[name]), {name: {}})
    cpu = torch.device("cpu")
    before = mean_losses(model, tiny_pretrain.batches, cpu)
    assert set(before) >= {"loss", f"{name}/loss"}
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=3e-3)
    model.train()
    for _ in range(5):
        for batch in tiny_pretrain.batches:
            loss = model(batch).loss
            assert loss is not None and torch.isfinite(loss)
            optimizer.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            optimizer.step()
    after = mean_losses(model, tiny_pretrain.batches, cpu)
    assert after["loss"] < 0.98 * before["loss"], (before, after)


def test_the_tuning_loss_masks_the_same_tokens_every_time(tiny_pretrain: TinyPretrain) -> None:
    model = PretrainModel(_backbone(tiny_pretrain, ("events",)), {"masked_events": {}})
    cpu = torch.device("cpu")
    first = mean_losses(model, tiny_pretrain.batches, cpu)
    torch.rand(100)  # the global generator moved on; the tuning masks must not
    assert mean_losses(model, tiny_pretrain.batches, cpu) == first


def test_masked_events_hides_known_codes_and_keeps_their_times(tiny_pretrain: TinyPretrain) -> None:
    model = PretrainModel(_backbone(tiny_pretrain, ("events",)), {"masked_events": {"mask_prob": 0.5}})
    batch = tiny_pretrain.batches[0]
    inputs = dict(batch.inputs)
    torch.manual_seed(1)
    chosen, codes, _, _ = model.objectives["masked_events"].corrupt(inputs)
    before, after = batch.inputs[Modality.EVENTS].values, inputs[Modality.EVENTS].values
    assert chosen.sum() > 0
    assert (codes[chosen] > 1).all()  # padding and unknown codes are never targets
    assert (after["codes"][chosen] == 1).all() and not after["has_value"][chosen].any()
    assert torch.equal(after["codes"][~chosen], before["codes"][~chosen])
    assert torch.equal(after["delta_days"], before["delta_days"])


def test_next_event_cuts_between_visits_and_targets_the_next_one() -> None:
    # one row: a static fact, then visits 30, 20 and 10 days before the prediction time
    delta = torch.tensor([[0.0, 30, 30, 20, 20, 10]])
    codes = torch.tensor([[5, 6, 7, 8, 9, 10]])
    inp = ModalityInput(
        {
            "codes": codes,
            "values": torch.zeros(1, 6),
            "has_value": torch.zeros(1, 6, dtype=torch.bool),
            "delta_days": delta,
            "age_years": torch.full((1, 6), 60.0),
            "token_mask": torch.ones(1, 6, dtype=torch.bool),
        },
        torch.ones(1, dtype=torch.bool),
    )
    seen = set()
    for seed in range(20):
        torch.manual_seed(seed)
        view, cut, has_cut, next_visit = cut_timelines(inp, min_history=2)
        assert has_cut.all()
        c = int(cut[0])
        seen.add(c)
        keep = view.values["token_mask"][0]
        assert keep.tolist() == [i < c for i in range(6)]
        assert next_visit[0].tolist() == [i >= c and delta[0, i] == delta[0, c] for i in range(6)]
        shifted = view.values["delta_days"][0][keep]
        assert (shifted[1:] > 0).all() and shifted[0] == 0  # the timeline now ends at the cut
    assert seen == {3, 5}  # visit starts with at least two events before them


def test_image_regions_follow_the_token_order() -> None:
    grid, region = (3, 2), (4, 5)
    ids = torch.arange(6, dtype=torch.float32).view(1, 1, 3, 2)
    image = ids.repeat_interleave(4, dim=2).repeat_interleave(5, dim=3)  # (1, 1, 12, 10)
    regions = to_regions(image, grid, region)
    assert regions.shape == (1, 6, 20)
    assert torch.equal(regions[0], torch.arange(6.0).unsqueeze(1).expand(6, 20))


def test_info_nce_prefers_matched_pairs() -> None:
    torch.manual_seed(0)
    a = torch.nn.functional.normalize(torch.randn(8, 4), dim=-1)
    scale = torch.tensor(10.0)
    assert info_nce(a, a, scale) < info_nce(a, a[torch.randperm(8)], scale)
    assert info_nce(a, a, scale) < math.log(8)


def test_recall_at_k_against_chance() -> None:
    rng = np.random.default_rng(0)
    q = rng.normal(size=(20, 5))
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    perfect = recall_at_k(q, q)
    assert perfect["recall@1"] == 1.0 and perfect["chance@1"] == 0.05 and perfect["median_rank"] == 1
    shuffled = recall_at_k(q, q[::-1])
    assert shuffled["recall@1"] < 0.2


def test_bad_objective_configs_are_refused(tiny_pretrain: TinyPretrain) -> None:
    with pytest.raises(ValueError, match="mask_ratio"):
        MaskedPatchConfig(mask_ratio=1.5)
    with pytest.raises(ValueError, match="weight"):
        ObjectiveConfig(weight=-1)
    with pytest.raises(ValueError, match="two different"):
        ContrastiveConfig(pairs=[["text", "text"]])
    with pytest.raises(ValueError, match="needs modalities"):
        PretrainModel(_backbone(tiny_pretrain, ("tabular",)), {"masked_events": {}})
    with pytest.raises(ValueError, match="unknown objectives"):
        PretrainConfig(objectives={"telepathy": {}})
    with pytest.raises(ValueError, match="needs modalities"):
        PretrainConfig(modalities=("tabular",), objectives={"masked_signal": {}}).resolved_objectives()
    assert set(PretrainConfig(modalities=("events",)).resolved_objectives()) == {
        "masked_events",
        "next_event",
    }


def test_one_modality_through_the_fusion_equals_the_others_absent(tiny_pretrain: TinyPretrain) -> None:
    """The contrastive objective embeds a modality alone by giving the fusion only its tokens; that is
    exactly the fused [CLS] with every other modality absent."""
    model = PretrainModel(tiny_pretrain.backbone, {"contrastive": {}}).eval()
    batch = tiny_pretrain.batches[0]
    with torch.no_grad():
        outputs = model.encode(batch.inputs)
        present = {m: batch.inputs[m].mask.bool() for m in model.modalities}
        for m in model.modalities:
            alone = model.fusion({m: outputs[m]}, {m: present[m]}).pooled
            others_absent = {k: v if k == m else torch.zeros_like(v) for k, v in present.items()}
            full = model.fusion(outputs, others_absent).pooled
            torch.testing.assert_close(alone, full, rtol=1e-4, atol=1e-5)


def test_views_split_each_patients_modalities_into_two_disjoint_non_empty_halves() -> None:
    torch.manual_seed(0)
    present = torch.rand(64, 5) < 0.6
    present[0] = torch.tensor([True, False, False, False, False])  # one modality: not scored
    a, b, scored = split_views(present, torch.rand(64, 5))
    assert torch.equal(scored, present.sum(1) >= 2) and not bool(scored[0])
    rows = scored
    assert not bool((a & b)[rows].any())  # disjoint
    assert torch.equal((a | b)[rows], present[rows])  # together: every present modality
    assert bool(a[rows].any(1).all()) and bool(b[rows].any(1).all())  # neither half empty
    assert torch.equal(a[~rows], present[~rows]) and torch.equal(b[~rows], present[~rows])
    assert not bool((a & ~present).any()) and not bool((b & ~present).any())


def test_views_is_trained_only_when_named() -> None:
    assert "views" not in PretrainConfig().resolved_objectives()
    assert "views" in PretrainConfig(objectives={"views": {}, "contrastive": {}}).resolved_objectives()
