"""Train a tiny events + tabular model on a fixed synthetic set; run alone or under torchrun.

Usage: python ddp_worker.py OUT_DIR GLOBAL_BATCH STEPS   (under torchrun each rank takes GLOBAL_BATCH / world)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import torch
from torch.utils.data import DataLoader, DistributedSampler, Subset

from healthfm.model import ComponentSpec, FoundationModel, ModelConfig
from healthfm.schema import Batch, Modality, ModalityInput
from healthfm.train.distributed import init_distributed, shutdown
from healthfm.train.loop import TrainConfig, train

N, L, F = 64, 10, 6


def make_rows() -> list[dict[str, torch.Tensor]]:
    g = torch.Generator().manual_seed(123)
    rows = []
    for _ in range(N):
        x = torch.randn(F, generator=g)
        rows.append(
            {
                "codes": torch.randint(2, 30, (L,), generator=g),
                "values": torch.randn(L, generator=g),
                "delta_days": torch.rand(L, generator=g) * 300,
                "numeric": x,
                "y": (x[0] + 0.5 * torch.randn(1, generator=g)[0] > 0).float(),
            }
        )
    return rows


def collate(rows: list[dict[str, torch.Tensor]]) -> Batch:
    b = len(rows)
    stack = lambda k: torch.stack([r[k] for r in rows])  # noqa: E731
    events = ModalityInput(
        {
            "codes": stack("codes"),
            "values": stack("values"),
            "has_value": torch.ones(b, L, dtype=torch.bool),
            "delta_days": stack("delta_days"),
            "age_years": torch.full((b, L), 60.0),
            "token_mask": torch.ones(b, L, dtype=torch.bool),
        },
        torch.ones(b, dtype=torch.bool),
    )
    tabular = ModalityInput(
        {
            "numeric": stack("numeric"),
            "numeric_present": torch.ones(b, F, dtype=torch.bool),
            "categorical": torch.zeros(b, 0, dtype=torch.long),
        },
        torch.ones(b, dtype=torch.bool),
    )
    return Batch(torch.arange(b), {Modality.EVENTS: events, Modality.TABULAR: tabular}, stack("y"))


def model_config() -> ModelConfig:
    small = {"hidden_dim": 16, "num_layers": 1, "num_heads": 2, "dropout": 0.0}
    return ModelConfig(
        task_kind="binary",
        d_model=16,
        encoders={
            "events": ComponentSpec("events", {"vocab_size": 32, "max_len": L, **small}),
            "tabular": ComponentSpec("tabular", {"n_numeric": F, "categorical_cardinalities": [], **small}),
        },
        fusion=ComponentSpec("attention", {"num_layers": 1, "num_heads": 2, "dropout": 0.0}),
        head=ComponentSpec("classification", {"kind": "binary", "num_outputs": 1, "dropout": 0.0}),
    )


def main() -> None:
    out, global_batch, steps = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    info = init_distributed("cpu")
    torch.manual_seed(0)
    model = FoundationModel(model_config())
    rows = make_rows()
    # DistributedSampler without shuffling deals rows round-robin, so the ranks' batches together are
    # exactly the single process's batch
    sampler = DistributedSampler(Subset(rows, range(N)), shuffle=False) if info.distributed else None
    loader = DataLoader(rows, batch_size=global_batch // info.world_size, sampler=sampler, collate_fn=collate)  # type: ignore[arg-type]
    config = TrainConfig(epochs=100, max_steps=steps, lr=3e-3, warmup_frac=0.1, seed=0, patience=100)
    train(model, loader, config, out_dir=out, dist_info=info)
    shutdown(info)
    if info.is_main:
        (out / f"done-{os.environ.get('WORLD_SIZE', '1')}").write_text("ok")


if __name__ == "__main__":
    main()
