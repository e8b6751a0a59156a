"""Voice profiles: an engine, one of its voices, and how to deliver with it.

A profile is a TOML file; its name is the file name without ``.toml``::

    engine = "espeak"          # an installed engine (see `audiobook voices`)
    voice = "gmw/en-US+m3"     # the engine's voice id (espeak-ng: language voice + optional variant)
    gender = "M"               # M, F or U
    age = "adult"              # child, young, adult, older
    accent = "US"
    pace = 1.0                 # speaking rate relative to the engine's normal rate (0.5-2.0)
    pitch = 0.0                # semitones from the voice's own pitch (-6..+6)
    gain = 0.0                 # dB applied to every take before mastering (-12..+12)
    description = "Warm, even US male; the default narrator."
    # optional: whispered and shouted lines (casting/delivery.py), defaults shown
    whisper_pace = 0.92        # 0.7-1.0
    whisper_gain = -4.0        # dB, -9..0
    shout_pace = 1.05          # 1.0-1.3
    shout_gain = 3.0           # dB, 0..+6

Profiles ship in the project's ``voices/`` folder; a production may add its own folder.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

from audiobook.errors import InputError

GENDERS = ("M", "F", "U")
AGES = ("child", "young", "adult", "older")
DELIVERY_LIMITS = {
    "whisper_pace": (0.7, 1.0),
    "whisper_gain": (-9.0, 0.0),
    "shout_pace": (1.0, 1.3),
    "shout_gain": (0.0, 6.0),
}
"""Optional profile fields for whispered and shouted lines, with the range each may take."""


@dataclass(frozen=True)
class VoiceProfile:
    name: str
    engine: str
    voice: str
    gender: str = "U"
    age: str = "adult"
    accent: str = ""
    pace: float = 1.0
    """Speaking rate relative to the engine's normal rate."""
    pitch: float = 0.0
    """Semitones."""
    gain: float = 0.0
    """dB."""
    description: str = ""
    whisper_pace: float = 0.92
    """Pace factor for a line tagged as whispered (0.7-1.0); see casting/delivery.py."""
    whisper_gain: float = -4.0
    """dB added for a whispered line (-9..0)."""
    shout_pace: float = 1.05
    """Pace factor for a line tagged as shouted (1.0-1.3)."""
    shout_gain: float = 3.0
    """dB added for a shouted line (0..+6)."""

    def render_key(self) -> str:
        """Hash of every field that changes the rendered audio (not the name or description).

        The delivery fields (whisper_*, shout_*) are left out: a whispered line is rendered with a
        profile whose pace and gain already carry them.
        """
        skipped = ("name", "description", "age", "accent", *DELIVERY_LIMITS)
        fields = {k: v for k, v in asdict(self).items() if k not in skipped}
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:16]


def load_profile(path: Path) -> VoiceProfile:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"{path}: cannot read voice profile ({error})") from None
    known = set(VoiceProfile.__dataclass_fields__) - {"name"}
    unknown = set(data) - known
    if unknown:
        raise InputError(f"{path}: unknown key {sorted(unknown)[0]!r} in voice profile")
    for key in ("engine", "voice"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise InputError(f"{path}: voice profile needs a '{key}' string")
    try:
        profile = VoiceProfile(name=path.stem, **data)
        pace, pitch, gain = float(profile.pace), float(profile.pitch), float(profile.gain)
    except (TypeError, ValueError) as error:
        raise InputError(f"{path}: bad value in voice profile ({error})") from None
    if profile.gender not in GENDERS:
        raise InputError(f"{path}: gender must be one of {', '.join(GENDERS)}")
    if not 0.5 <= pace <= 2.0 or not -6 <= pitch <= 6 or not -12 <= gain <= 12:
        raise InputError(f"{path}: pace must be 0.5-2.0, pitch -6..6 semitones, gain -12..12 dB")
    delivery = {}
    for key, (low, high) in DELIVERY_LIMITS.items():
        try:
            delivery[key] = float(getattr(profile, key))
        except (TypeError, ValueError):
            raise InputError(f"{path}: {key} must be a number") from None
        if not low <= delivery[key] <= high:
            raise InputError(f"{path}: {key} must be {low:g}..{high:g}")
    return VoiceProfile(**{**asdict(profile), "pace": pace, "pitch": pitch, "gain": gain, **delivery})


def shipped_voices_dir() -> Path:
    """The ``voices/`` folder shipped with the project (inside the wheel, or the source checkout)."""
    packaged = Path(__file__).resolve().parents[1] / "_voices"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "voices"


def load_profiles(*folders: Path) -> dict[str, VoiceProfile]:
    """All profiles in the shipped folder and then ``folders`` (later ones override by name)."""
    profiles: dict[str, VoiceProfile] = {}
    for folder in (shipped_voices_dir(), *folders):
        if folder and Path(folder).is_dir():
            for path in sorted(Path(folder).glob("*.toml")):
                profiles[path.stem] = load_profile(path)
    return profiles
