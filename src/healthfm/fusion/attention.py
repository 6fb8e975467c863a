"""Attention fusion: a learned [CLS] token, a modality-type embedding per token, a masked transformer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from healthfm.fusion.base import Fusion, FusionConfig, FusionOutput, check_outputs
from healthfm.registry import FUSIONS
from healthfm.schema import EncoderOutput, Modality


@dataclass
class AttentionFusionConfig(FusionConfig):
    num_layers: int = 2
    num_heads: int = 4
    ffn_mult: int = 2
    dropout: float = 0.0  # residual dropout; modality dropout is the main regulariser (and free on CPU)
    max_tokens_per_modality: int = (
        32  # longer token sequences are mean-pooled down to this many (CPU latency)
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.num_layers < 1:
            raise ValueError(f"num_layers must be >= 1, got {self.num_layers}")
        if self.d_model % self.num_heads:
            raise ValueError(f"d_model {self.d_model} is not divisible by num_heads {self.num_heads}")
        if self.max_tokens_per_modality < 1:
            raise ValueError("max_tokens_per_modality must be >= 1")


class FusionBlock(nn.Module):
    """Pre-LN transformer block that can hand back its attention weights."""

    def __init__(self, d: int, heads: int, ffn_mult: int, dropout: float) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(d)
        # no dropout on the attention weights: on CPU their random masks cost more than the whole layer
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(d)
        self.ffn = nn.Sequential(
            nn.Linear(d, d * ffn_mult), nn.GELU(), nn.Dropout(dropout), nn.Linear(d * ffn_mult, d)
        )
        self.drop = nn.Dropout(dropout)

    def forward(
        self, x: torch.Tensor, pad: torch.Tensor, need_weights: bool = False
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        h = self.norm1(x)
        if need_weights or torch.is_grad_enabled():
            # training and gradients (Integrated Gradients) keep the module's own path: the same values,
            # but its backward is the one every trained checkpoint and explanation test was made with
            a, w = self.attn(
                h, h, h, key_padding_mask=pad, need_weights=need_weights, average_attn_weights=True
            )
        else:
            a, w = self._attend(h, pad), None
        x = x + self.drop(a)
        x = x + self.drop(self.ffn(self.norm2(x)))
        return x, w  # w: (B,T,T) or None

    def forward_first(self, x: torch.Tensor, pad: torch.Tensor) -> torch.Tensor:
        """The block's output at the first position ([CLS]) only, (B,1,D), for inference: every token is
        still a key and value, but the query, output projection and feed-forward run for one row."""
        h = self.norm1(x)
        first = x[:, :1] + self.drop(self._attend(h, pad, queries=1))
        out: torch.Tensor = first + self.drop(self.ffn(self.norm2(first)))
        return out

    def _attend(self, h: torch.Tensor, pad: torch.Tensor, queries: int | None = None) -> torch.Tensor:
        """`self.attn`'s output without its weights (for the first `queries` positions, default all),
        through `scaled_dot_product_attention` on the same parameters, for inference (no gradient): the
        same result (to float rounding) and 2-4x faster on CPU than `nn.MultiheadAttention`'s own path
        (benchmarks/serve_load.py's model: 9.0 → 4.6 ms at 60 rows)."""
        attn = self.attn
        b, t, d = h.shape
        heads = attn.num_heads
        weight, bias = attn.in_proj_weight, attn.in_proj_bias
        if queries is None:
            qkv = F.linear(h, weight, bias).view(b, t, 3, heads, d // heads)
            q, k, v = qkv.permute(2, 0, 3, 1, 4)  # each (B, H, T, Dh)
        else:  # the rows of in_proj are [query; key; value]
            q = F.linear(h[:, :queries], weight[:d], None if bias is None else bias[:d])
            q = q.view(b, queries, heads, d // heads).transpose(1, 2)
            kv = F.linear(h, weight[d:], None if bias is None else bias[d:]).view(b, t, 2, heads, d // heads)
            k, v = kv.permute(2, 0, 3, 1, 4)
        keys = ~pad[:, None, None, :]  # True = a key that may be attended (the [CLS] key always is)
        dropout = attn.dropout if self.training else 0.0
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=keys, dropout_p=dropout)
        out: torch.Tensor = attn.out_proj(a.transpose(1, 2).reshape(b, q.shape[2], d))
        return out


def _shorten(tokens: torch.Tensor, mask: torch.Tensor, limit: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean-pool groups of consecutive tokens so at most `limit` remain, respecting the mask."""
    t = tokens.shape[1]
    if t <= limit:
        return tokens, mask
    group = -(-t // limit)
    pad = group * limit - t
    w = mask.to(tokens.dtype)
    tok = F.pad(tokens * w.unsqueeze(-1), (0, 0, 0, pad))
    w = F.pad(w, (0, pad))
    b, _, d = tokens.shape
    s = tok.view(b, limit, group, d).sum(2)
    n = w.view(b, limit, group).sum(2)
    return s / n.clamp_min(1.0).unsqueeze(-1), n > 0


@FUSIONS.register("attention")
class AttentionFusion(Fusion):
    name = "attention"
    config_class = AttentionFusionConfig

    def __init__(self, config: AttentionFusionConfig) -> None:
        super().__init__(config)
        d = config.d_model
        self.cfg = config
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        nn.init.normal_(self.cls, std=0.02)
        self.type_embedding = nn.Embedding(len(self.modalities), d)
        self.blocks = nn.ModuleList(
            FusionBlock(d, config.num_heads, config.ffn_mult, config.dropout)
            for _ in range(config.num_layers)
        )
        self.norm = nn.LayerNorm(d)

    def forward(
        self,
        outputs: Mapping[Modality, EncoderOutput],
        present: Mapping[Modality, torch.Tensor],
        *,
        return_attention: bool = False,
    ) -> FusionOutput:
        x, pad, valid = self._sequence(outputs, present)
        maps = []
        for block in self.blocks:
            x, w = block(x, pad, need_weights=return_attention)
            if w is not None:
                maps.append(w)
        x = self.norm(x)
        return FusionOutput(pooled=x[:, 0], tokens=x[:, 1:], token_mask=valid, attention=maps)

    def pooled(
        self, outputs: Mapping[Modality, EncoderOutput], present: Mapping[Modality, torch.Tensor]
    ) -> FusionOutput:
        """Only `pooled`: without gradients the last block computes the [CLS] position alone (the same
        value to float rounding, a fraction of the last block's work); `tokens` is not filled."""
        if torch.is_grad_enabled() or self.training:
            return super().pooled(outputs, present)
        x, pad, _ = self._sequence(outputs, present)
        blocks: list[FusionBlock] = list(self.blocks)  # type: ignore[arg-type]
        for block in blocks[:-1]:
            x, _ = block(x, pad)
        x = self.norm(blocks[-1].forward_first(x, pad))
        return FusionOutput(pooled=x[:, 0])

    def _sequence(
        self, outputs: Mapping[Modality, EncoderOutput], present: Mapping[Modality, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """[CLS] + every given modality's tokens (B,1+T,D), the key padding mask (B,1+T) and which of
        the T tokens are valid (B,T)."""
        # a subset of the modalities may be given (the others count as absent): pretraining embeds each
        # modality alone through the fusion without paying for the others' tokens
        given = [m for m in self.modalities if m in outputs]
        if not given:
            raise KeyError(f"fusion expects some of {[m.value for m in self.modalities]}; got none")
        check_outputs(given, outputs, self.cfg.d_model)
        keep = self.effective_presence(present)  # (B,M)
        parts, masks = [], []
        for i, m in enumerate(self.modalities):
            if m not in outputs:
                continue
            tok, msk = _shorten(outputs[m].tokens, outputs[m].mask, self.cfg.max_tokens_per_modality)
            parts.append(tok + self.type_embedding.weight[i])
            masks.append(msk & keep[:, i : i + 1])  # a missing modality masks all its tokens
        tokens = torch.cat(parts, dim=1)  # (B,T,D)
        valid = torch.cat(masks, dim=1)  # (B,T)
        b = tokens.shape[0]
        x = torch.cat([self.cls.expand(b, -1, -1), tokens], dim=1)  # (B,1+T,D)
        pad = torch.cat([torch.zeros(b, 1, dtype=torch.bool, device=x.device), ~valid], dim=1)
        return x, pad, valid

    def token_modalities(self, outputs: Mapping[Modality, EncoderOutput]) -> list[Modality]:
        """Which modality each fused token (after [CLS]) came from, for attention maps."""
        out: list[Modality] = []
        for m in self.modalities:
            if m in outputs:
                out += [m] * min(outputs[m].tokens.shape[1], self.cfg.max_tokens_per_modality)
        return out
