"""A production: a manuscript and the folder its script, cast, takes and chapter masters live in.

This is the pipeline the CLI drives, stage by stage::

    manuscript -> script (parse + attribution) -> cast -> takes (render) -> chapter masters

Each stage reads what the previous one wrote, so a person's edits to the script or the cast between
two builds are honoured, and only what changed is rendered and mastered again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from audiobook.atomic import write_text_atomic
from audiobook.casting.autocast import auto_cast
from audiobook.casting.cast import CAST_FILE, Cast, read_cast, write_cast
from audiobook.casting.delivery import delivered, manner_of, pause_after_s
from audiobook.casting.lexicon import Lexicon
from audiobook.casting.lexicon import default_path as lexicon_default_path
from audiobook.casting.profile import VoiceProfile, load_profiles
from audiobook.casting.speech_text import prepare_for_engine
from audiobook.cuesheet.timings import chapter_timings, write_build_timings
from audiobook.errors import InputError
from audiobook.manuscript.reader import read_manuscript
from audiobook.mastering.master import MasterReport, MasterSettings, master_chapter
from audiobook.mastering.timeline import PAUSE_S, Segment, Timeline
from audiobook.script.attribution import attribute
from audiobook.script.build import build_script
from audiobook.script.model import Chapter, Cue, Script
from audiobook.script.scriptfile import SUFFIX, read_script, write_script
from audiobook.tts.executor import make_executor
from audiobook.tts.render import ProgressCallback, RenderSummary, TakeJob, make_job, render_takes
from audiobook.tts.takes import TakeStore

TAKES_DIR = ".takes"
MASTERS_FILE = ".masters.json"


@dataclass
class Production:
    manuscript: Path
    folder: Path

    @property
    def script_path(self) -> Path:
        return self.folder / f"{self.manuscript.stem}{SUFFIX}"

    @property
    def cast_path(self) -> Path:
        return self.folder / CAST_FILE

    @property
    def lexicon_path(self) -> Path:
        return lexicon_default_path(self.script_path)

    @property
    def store(self) -> TakeStore:
        return TakeStore(self.folder / TAKES_DIR)

    def voices_folder(self) -> Path:
        """A production's own profiles, next to its script (optional)."""
        return self.folder / "voices"


def parse(production: Production, fresh: bool = False) -> Script:
    """Read the manuscript, attribute its lines and write the script, keeping a person's corrections."""
    manuscript = read_manuscript(production.manuscript)
    attribution = attribute(manuscript.text, manuscript.chapters, emphasis=manuscript.emphasis)
    previous = None
    if not fresh and production.script_path.exists():
        previous = read_script(production.script_path)
    script = build_script(manuscript, attribution, previous)
    _keep_book_metadata(production, script, previous)
    if not any(True for _ in script.cues()):
        raise InputError(f"{production.manuscript}: nothing to read aloud")
    write_script(script, production.script_path)
    return script


def _keep_book_metadata(production: Production, script: Script, previous: Script | None) -> None:
    """The title and book metadata a person edited in the script header survive re-parsing (even
    with ``fresh``); a new script takes them from the manuscript's front matter or byline."""
    from audiobook.delivery.metadata import from_manuscript

    if previous is None and production.script_path.exists():
        try:
            previous = read_script(production.script_path)
        except InputError:
            previous = None
    if previous is not None:
        script.title, script.metadata = previous.title or script.title, previous.metadata
        return
    title, script.metadata = from_manuscript(production.manuscript)
    script.title = title or script.title


def cast(production: Production, script: Script) -> tuple[Cast, dict[str, VoiceProfile]]:
    """Cast the script, keeping every role the cast file already has."""
    profiles = load_profiles(production.voices_folder())
    existing = read_cast(production.cast_path)
    result = auto_cast(script, profiles, existing)
    for name in {result.narrator, *(role.profile for role in result.roles.values())}:
        if name not in profiles:
            raise InputError(f"{production.cast_path}: no voice profile named {name!r} (see `audiobook voices`)")
    write_cast(result, production.cast_path)
    return result, profiles


def voice_of(cue: Cue, chapter: Chapter, cast_: Cast) -> str:
    """The profile that reads ``cue``: a first-person chapter's narration is read by its POV character."""
    if cue.kind in ("narration", "heading"):
        return cast_.profile_for(chapter.pov) if chapter.pov else cast_.narrator
    return cast_.profile_for(cue.speaker)


def speech_text(cue: Cue, lexicon: Lexicon, engine: str) -> str:
    """The text the engine reads for ``cue``: the lexicon applied, then normalised for speech."""
    return prepare_for_engine(cue.text, lexicon, engine, heading=cue.kind == "heading")


@dataclass
class BuildReport:
    script: Path
    cast: Path
    chapters: list[MasterReport] = field(default_factory=list)
    render: RenderSummary = field(default_factory=RenderSummary)
    chapters_mastered: int = 0

    def summary(self) -> dict:
        return {
            "takes_total": self.render.takes_total,
            "takes_rendered": self.render.takes_rendered,
            "takes_cached": self.render.takes_cached,
            "chapters_mastered": self.chapters_mastered,
            "audio_seconds": round(self.render.audio_seconds, 3),
            "wall_seconds": round(self.render.wall_seconds, 3),
        }


def chapter_file_name(chapter: Chapter) -> str:
    title = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", chapter.title).strip() or f"Chapter {chapter.number}"
    return f"{chapter.number:02d} - {' '.join(title.split())[:80]}.mp3"


def build(
    production: Production,
    chapters: list[int] | None = None,
    workers: int | None = None,
    settings: MasterSettings | None = None,
    progress: ProgressCallback | None = None,
    on_chapter: Callable[[MasterReport], None] | None = None,
) -> BuildReport:
    """Parse, cast, render and master; return what was written."""
    settings = settings or MasterSettings()
    script = parse(production)
    cast_, profiles = cast(production, script)
    selected = [c for c in script.chapters if not chapters or c.number in chapters]
    if chapters:
        missing = sorted(set(chapters) - {c.number for c in script.chapters})
        if missing:
            raise InputError(f"{production.manuscript}: no chapter {missing[0]} (the book has {len(script.chapters)})")
    store = production.store
    lexicon = Lexicon.load(production.lexicon_path)
    plans: list[tuple[Chapter, list[tuple[Cue, TakeJob]]]] = []
    for chapter in selected:
        jobs = []
        for cue in chapter.cues:
            profile = delivered(profiles[voice_of(cue, chapter, cast_)], manner_of(cue, chapter))
            jobs.append((cue, make_job(speech_text(cue, lexicon, profile.engine), profile, store)))
        plans.append((chapter, jobs))
    report = BuildReport(production.script_path, production.cast_path)
    report.render = render_takes([job for _, jobs in plans for _, job in jobs], store, make_executor(workers), progress)
    masters = _read_masters(production)
    for chapter, jobs in plans:
        segments = [Segment(cue.id, job.key, job.profile.gain, pause_after_s(cue, PAUSE_S)) for cue, job in jobs]
        # the master's head, tail and rate, so a cached chapter's timings are those of its file too
        timeline = Timeline(segments, settings.head_s, settings.tail_s, settings.sample_rate)
        out_path = production.folder / chapter_file_name(chapter)
        key = _master_key(timeline, settings)
        if masters.get(out_path.name, {}).get("key") == key and out_path.exists():
            cached = masters[out_path.name]
            master = MasterReport(out_path, cached["duration_s"], cached["rms_dbfs"], cached["peak_dbfs"], timeline.timings(store))
        else:
            master = master_chapter(timeline, store, out_path, settings, seed=chapter.number)
            report.chapters_mastered += 1
            masters[out_path.name] = {"key": key, "duration_s": master.duration_s, "rms_dbfs": master.rms_dbfs, "peak_dbfs": master.peak_dbfs}
            _write_masters(production, masters)
        report.chapters.append(master)
        if on_chapter:
            on_chapter(master)
    # cue timings for the cue sheet and players: timings.json, NN - Title.vtt, book.cue
    built = [chapter_timings(chapter, m.path.name, m.duration_s, m.timings) for (chapter, _), m in zip(plans, report.chapters)]
    write_build_timings(production.folder, script, built)
    return report


def _master_key(timeline: Timeline, settings: MasterSettings) -> str:
    payload = {"segments": [asdict(s) for s in timeline.segments], "settings": asdict(settings)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _read_masters(production: Production) -> dict:
    path = production.folder / MASTERS_FILE
    try:
        return json.loads(path.read_text()) if path.exists() else {}
    except (OSError, ValueError):
        return {}


def _write_masters(production: Production, masters: dict) -> None:
    write_text_atomic(production.folder / MASTERS_FILE, json.dumps(masters, indent=1, sort_keys=True))
