"""Which modality attends to which in the fusion: token attention (averaged over heads) summed over the key
tokens of each modality and averaged over the query tokens of each, per layer and over layers.

Each row is a distribution: a query token's weights sum to 1 over the keys it may see, so a modality's
row sums to 1 over the columns. Attention shows where the fusion looks, not what changed the prediction;
the Shapley values and attributions answer that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from healthfm.explain.core import Prediction, modality_name
from healthfm.fusion.attention import AttentionFusion
from healthfm.schema import Modality

CLS = "[CLS]"


@dataclass
class AttentionMap:
    groups: list[str]  # "[CLS]" then the present modalities' values
    layers: list[np.ndarray[Any, np.dtype[np.float64]]]  # each (G, G), rows sum to 1

    @property
    def mean(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        return np.mean(np.stack(self.layers), axis=0)  # type: ignore[no-any-return]

    def to_dict(self) -> dict[str, Any]:
        labels = [g if g == CLS else modality_name(Modality(g)) for g in self.groups]
        return {
            "method": "fusion attention averaged over heads; rows: querying group, columns: attended group",
            "groups": self.groups,
            "labels": labels,
            "mean": self.mean.tolist(),
            "layers": [layer.tolist() for layer in self.layers],
            "cls_attention": dict(zip(self.groups, self.mean[0].tolist(), strict=True)),
        }


def attention_map(pred: Prediction) -> AttentionMap | None:
    """None when the model's fusion has no attention (concatenation or late fusion)."""
    fusion = pred.model.fusion
    if not isinstance(fusion, AttentionFusion):
        return None
    with torch.no_grad():
        fused = fusion(pred.outputs, pred.presence(1), return_attention=True)
    assert fused.token_mask is not None
    owners = fusion.token_modalities(pred.outputs)  # modality of each fused token after [CLS]
    valid = np.concatenate([[True], fused.token_mask[0].numpy()])
    group_of = [CLS, *(m.value for m in owners)]
    groups = [CLS, *(m.value for m in fusion.modalities if m in pred.present)]
    index = np.asarray([groups.index(g) if g in groups else -1 for g in group_of])
    layers = []
    for weights in fused.attention:
        w = weights[0].double().numpy()  # (T+1, T+1)
        out = np.zeros((len(groups), len(groups)))
        for a in range(len(groups)):
            queries = (index == a) & valid
            keys_by_group = [w[np.ix_(queries, (index == b) & valid)].sum(1) for b in range(len(groups))]
            out[a] = [float(k.mean()) if k.size else 0.0 for k in keys_by_group]
        layers.append(out)
    return AttentionMap(groups, layers)
