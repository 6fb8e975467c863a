"""One encoder per modality; importing this package registers all five in `healthfm.registry.ENCODERS`."""

from healthfm.encoders.base import Encoder, EncoderConfig, masked_mean
from healthfm.encoders.events import EventsConfig, EventsEncoder
from healthfm.encoders.image import ImageConfig, ImageEncoder
from healthfm.encoders.signal import SignalConfig, SignalEncoder
from healthfm.encoders.tabular import TabularConfig, TabularEncoder
from healthfm.encoders.text import TextConfig, TextEncoder, text_model_dir

__all__ = [
    "Encoder",
    "EncoderConfig",
    "EventsConfig",
    "EventsEncoder",
    "ImageConfig",
    "ImageEncoder",
    "SignalConfig",
    "SignalEncoder",
    "TabularConfig",
    "TabularEncoder",
    "TextConfig",
    "TextEncoder",
    "masked_mean",
    "text_model_dir",
]
