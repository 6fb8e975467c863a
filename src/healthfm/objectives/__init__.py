"""Self-supervised pretraining objectives, registered in `healthfm.registry.OBJECTIVES` on import."""

from healthfm.objectives import contrastive, masked_events, masked_patches, next_event, views
from healthfm.objectives.base import Objective, ObjectiveConfig, SharedView

__all__ = [
    "Objective",
    "ObjectiveConfig",
    "SharedView",
    "contrastive",
    "masked_events",
    "masked_patches",
    "next_event",
    "views",
]
