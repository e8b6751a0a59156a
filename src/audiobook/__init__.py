"""audiobook: manuscript in, retail-ready multi-voice audiobook out."""

__version__ = "0.1.0"
