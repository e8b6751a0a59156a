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
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from audiobook.atomic import remove_abandoned, write_text_atomic
from audiobook.casting.autocast import auto_cast
from audiobook.casting.cast import CAST_FILE, Cast, read_cast, write_cast
from audiobook.casting.delivery import delivered, manner_of, pause_after_s
from audiobook.casting.lexicon import Lexicon
from audiobook.casting.lexicon import default_path as lexicon_default_path
from audiobook.casting.profile import VoiceProfile, load_profiles
from audiobook.casting.speech_text import prepare_for_engine
from audiobook.cuesheet.timings import chapter_timings, write_build_timings
from audiobook.check.gate import check_metrics
from audiobook.check.measure import LOUDNESS_METRICS
from audiobook.check.report import format_value
from audiobook.check.spec import Spec, load_spec
from audiobook.errors import BuildError, InputError
from audiobook.manuscript.reader import read_manuscript
from audiobook.mastering.master import MasterReport, MasterSettings, Run, master_chapter
from audiobook.mastering.timeline import PAUSE_S, Segment, Timeline
from audiobook.script.attribution import attribute
from audiobook.script.build import build_script
from audiobook.script.model import Chapter, Cue, Script
from audiobook.script.scriptfile import SUFFIX, read_script, write_script
from audiobook.tts.executor import make_executor
from audiobook.tts.render import ProgressCallback, RenderSummary, TakeJob, engine_versions, make_job, render_takes
from audiobook.tts.takes import StoreStats, TakeStore

TAKES_DIR = ".takes"
MASTERS_FILE = ".masters.json"
MASTER_LAYOUT = "sections-1"
"""Changes when the same takes and settings would give a differently laid out master file."""
ENVELOPES_DIR = ".envelopes"
"""Each master section's envelope, by the section's key (see :mod:`audiobook.mastering.master`)."""


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
    sections_encoded: int = 0
    """MP3 sections encoded anew by the chapters mastered (the rest were copied from the previous masters)."""
    packages: list = field(default_factory=list)
    """The retail packages built (audiobook.delivery.manifest.PackageReport), when asked for."""
    wall_seconds: float = 0.0
    """The whole build, from reading the manuscript to the last file written."""

    def summary(self) -> dict:
        return {
            "takes_total": self.render.takes_total,
            "takes_rendered": self.render.takes_rendered,
            "takes_cached": self.render.takes_cached,
            "chapters_mastered": self.chapters_mastered,
            "sections_encoded": self.sections_encoded,
            "audio_seconds": round(self.render.audio_seconds, 3),
            "wall_seconds": round(self.wall_seconds, 3),
        }


def file_title(title: str, fallback: str = "Untitled") -> str:
    """``title`` made safe for a file name on every system (at most 80 characters)."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title)
    return " ".join(cleaned.split())[:80] or fallback


def chapter_file_name(chapter: Chapter) -> str:
    return f"{chapter.number:02d} - {file_title(chapter.title, f'Chapter {chapter.number}')}.mp3"


def build(
    production: Production,
    chapters: list[int] | None = None,
    workers: int | None = None,
    settings: MasterSettings | None = None,
    progress: ProgressCallback | None = None,
    on_chapter: Callable[[MasterReport], None] | None = None,
    packages: Sequence[str] = (),
    sample_chapter: int | None = None,
    spec: Spec | str = "acx",
) -> BuildReport:
    """Parse, cast, render and master; return what was written.

    ``packages`` (acx, apple, google, all) also renders the credits and the retail sample (from
    chapter ``sample_chapter``, default the first) and builds the retail packages: see
    :mod:`audiobook.delivery`. Chapters over ACX's 120 minutes are always split into parts.
    ``on_chapter`` is called with each chapter's master as it is written; with worker processes that
    happens on the mastering thread, while ``progress`` is called on this one.
    """
    from audiobook.delivery.book import plan_delivery, split_long_chapters

    started = time.perf_counter()
    spec = load_spec(spec) if isinstance(spec, str) else spec
    settings = settings or MasterSettings.from_spec(spec)
    script = parse(production)
    cast_, profiles = cast(production, script)
    delivery = plan_delivery(production.script_path, script, packages, chapters, sample_chapter) if packages else None
    credits = delivery.credits if delivery else []
    selected = [c for c in script.chapters if not chapters or c.number in chapters]
    if chapters:
        missing = sorted(set(chapters) - {c.number for c in script.chapters})
        if missing:
            raise InputError(f"{production.manuscript}: no chapter {missing[0]} (the book has {len(script.chapters)})")
    store = production.store
    lexicon = Lexicon.load(production.lexicon_path)
    remove_abandoned(production.folder)  # temporary files of a build that was killed
    report = BuildReport(production.script_path, production.cast_path)
    engines = {profiles[voice_of(cue, chapter, cast_)].engine for chapter in [*selected, *credits] for cue in chapter.cues}
    with make_executor(workers, engines) as executor:  # one engine family per worker process
        versions = engine_versions(engines, executor)
        plans = plan_takes(selected, cast_, profiles, lexicon, versions, store)
        credit_plans = plan_takes(credits, cast_, profiles, lexicon, versions, store)
        jobs_needed = [job for _, jobs in [*plans, *credit_plans] for _, job in jobs]

        def job_for(chapter: Chapter, cue: Cue) -> TakeJob:
            return plan_takes([replace(chapter, cues=[cue])], cast_, profiles, lexicon, versions, store)[0][1][0][1]

        masters = _read_masters(production.folder)
        done: dict[int, list[tuple[tuple[Chapter, list], MasterReport]]] = {}
        """Chapter index -> its parts (one unless it is split) with their masters."""
        waiting = {index: {job.key for _, job in jobs} for index, (_, jobs) in enumerate(plans)}
        chapters_of: dict[str, list[int]] = {}
        for index, keys in waiting.items():
            for key in keys:
                chapters_of.setdefault(key, []).append(index)
        ready = [index for index, keys in waiting.items() if not keys]

        def master_ready(run) -> None:
            """Master the chapters whose takes are all in, as they complete (splitting any that is too long)."""
            while ready:
                index = ready.pop(0)
                parts, part_headings = split_long_chapters([plans[index]], store, settings, job_for)
                if part_headings:  # the spoken headers of the later parts of a split chapter
                    render_takes(part_headings, store, executor)
                done[index] = []
                for chapter, jobs in parts:
                    master, mastered = master_timeline(
                        production, chapter_timeline(jobs, settings), chapter_file_name(chapter), settings, masters,
                        seed=chapter.number, spec=spec, run=run,
                    )  # fmt: skip
                    report.chapters_mastered += mastered
                    report.sections_encoded += master.sections_encoded
                    done[index].append(((chapter, jobs), master))
                    if on_chapter:
                        on_chapter(master)

        # Chapters are mastered beside the rendering of the next ones. With worker processes, a thread
        # of this process masters them, so the render loop keeps the workers fed meanwhile; one worker
        # leaves this process's core for mastering (sections run here), more take the sections in turn
        # with the takes. Rendering in this process (no workers), chapters are mastered between takes.
        mastering = ThreadPoolExecutor(1, thread_name_prefix="mastering") if executor.processes else None
        mastered: list[Future] = []

        def take_in(key: str, rendered: bool) -> None:
            for index in chapters_of.get(key, ()):
                waiting[index].discard(key)
                if not waiting[index]:
                    ready.append(index)
            if not rendered or not ready:
                return
            if mastering is None:
                master_ready(None)
                return
            for future in mastered:
                if future.done():
                    future.result()  # a chapter that failed its gate stops the build now
            mastered.append(mastering.submit(master_ready, executor.run if executor.workers > 1 else None))

        try:
            report.render = render_takes(jobs_needed, store, executor, progress, take_in)
            for future in mastered:
                future.result()
        except BaseException:
            executor.close()  # cancels the section jobs the mastering thread is waiting for
            remove_abandoned(production.folder)  # the stopped workers' scratch files
            raise
        finally:
            if mastering is not None:
                mastering.shutdown(wait=True, cancel_futures=True)
        master_ready(executor.run)
        plans = [part for index in sorted(done) for part, _ in done[index]]
        report.chapters = [master for index in sorted(done) for _, master in done[index]]
        # cue timings for the cue sheet and players: timings.json, NN - Title.vtt, book.cue
        built = [chapter_timings(chapter, m.path.name, m.duration_s, m.timings) for (chapter, _), m in zip(plans, report.chapters)]
        write_build_timings(production.folder, script, built)
        if delivery:
            from audiobook.delivery.book import deliver

            report.packages = deliver(production, script, delivery, plans, report.chapters, credit_plans, settings, masters)
    report.wall_seconds = time.perf_counter() - started
    return report


def chapter_timeline(jobs: list[tuple[Cue, TakeJob]], settings: MasterSettings) -> Timeline:
    """The timeline of a chapter's takes, with the master's head, tail and rate (so a cached
    chapter's timings are those of its file too)."""
    segments = [Segment(cue.id, job.key, job.profile.gain, pause_after_s(cue, PAUSE_S)) for cue, job in jobs]
    return Timeline(segments, settings.head_s, settings.tail_s, settings.sample_rate)


def master_timeline(
    production: Production,
    timeline: Timeline,
    file_name: str,
    settings: MasterSettings,
    masters: dict,
    seed: int = 0,
    spec: Spec | None = None,
    run: Run | None = None,
) -> tuple[MasterReport, bool]:
    """Master ``timeline`` to ``file_name`` in the production folder unless the cached master there is
    current (``masters``: the contents of .masters.json, updated). Returns (report, whether mastered).

    With a ``spec``, a new master must pass its gate: a file that fails is renamed ``*.rejected.mp3``
    (kept for a look with ``audiobook check``) and the build fails with the broken rules. ``run`` (an
    executor's ``run``) spreads the master's sections over worker processes."""
    store = production.store
    out_path = production.folder / file_name
    key = _master_key(timeline, settings)
    cached = masters.get(out_path.name, {})
    if cached.get("key") == key and out_path.exists() and out_path.stat().st_size == cached.get("bytes"):
        return MasterReport(out_path, cached["duration_s"], cached["rms_dbfs"], cached["peak_dbfs"], timeline.timings(store)), False
    previous = cached.get("sections", []) if out_path.exists() else []  # each stream is checked by hash before reuse
    envelopes = production.folder / ENVELOPES_DIR
    loudness = spec is None or any(spec.limits_for(metric) for metric in LOUDNESS_METRICS)  # measure what the gate reads
    master = master_chapter(timeline, store, out_path, settings, seed, previous, envelopes, run, loudness)
    failures = check_metrics(master.metrics, spec) if spec is not None and master.metrics is not None else []
    if failures:
        rejected = out_path.with_suffix(".rejected.mp3")
        out_path.replace(rejected)
        broken = ", ".join(f"{f.rule} {format_value(f.value)} (limit {format_value(f.limit)})" for f in failures)
        raise BuildError(f"{rejected}: fails the {spec.name} gate: {broken}")
    masters[out_path.name] = {
        "key": key, "bytes": out_path.stat().st_size, "sections": master.sections,
        "duration_s": master.duration_s, "rms_dbfs": master.rms_dbfs, "peak_dbfs": master.peak_dbfs,
    }  # fmt: skip
    _write_masters(production, masters)
    return master, True


def plan_takes(
    chapters: list[Chapter],
    cast_: Cast,
    profiles: dict[str, VoiceProfile],
    lexicon: Lexicon,
    versions: dict[str, str],
    store: TakeStore,
) -> list[tuple[Chapter, list[tuple[Cue, TakeJob]]]]:
    """Each chapter's cues with the take job that reads them (keys computed, nothing rendered)."""
    plans = []
    for chapter in chapters:
        jobs = []
        for cue in chapter.cues:
            profile = delivered(profiles[voice_of(cue, chapter, cast_)], manner_of(cue, chapter))
            text = speech_text(cue, lexicon, profile.engine)
            jobs.append((cue, make_job(text, profile, store, versions[profile.engine])))
        plans.append((chapter, jobs))
    return plans


def takes_in_use(folder: Path, workers: int | None = None) -> set[str]:
    """Keys of every take the productions in ``folder`` need: each ``NAME.script.txt`` there with the
    folder's cast, lexicon and voices, as the next build would read them. Nothing is rendered or written.
    """
    folder = Path(folder)
    wanted: list[tuple[Script, Cast, dict[str, VoiceProfile], Lexicon]] = []
    for script_path in sorted(folder.glob(f"*{SUFFIX}")):
        production = Production(folder / script_path.name[: -len(SUFFIX)], folder)
        script = read_script(script_path)
        profiles = load_profiles(production.voices_folder())
        cast_ = auto_cast(script, profiles, read_cast(production.cast_path))
        for name in {cast_.narrator, *(role.profile for role in cast_.roles.values())} - set(profiles):
            raise InputError(f"{production.cast_path}: no voice profile named {name!r} (see `audiobook voices`)")
        wanted.append((script, cast_, profiles, Lexicon.load(production.lexicon_path)))
    engines = {
        profiles[voice_of(cue, chapter, cast_)].engine
        for script, cast_, profiles, _ in wanted
        for chapter in script.chapters
        for cue in chapter.cues
    }
    if not engines:
        return set()
    store = TakeStore(folder / TAKES_DIR)
    with make_executor(workers, engines) as executor:
        versions = engine_versions(engines, executor)
    keys: set[str] = set()
    for script, cast_, profiles, lexicon in wanted:
        for _, jobs in plan_takes(script.chapters, cast_, profiles, lexicon, versions, store):
            keys.update(job.key for _, job in jobs)
    return keys


@dataclass
class CacheReport:
    """A production folder's take store: what it holds, how much of it is in use, what was pruned."""

    folder: Path
    held: StoreStats
    in_use: int
    """Takes in the store that the folder's productions need."""
    removed: StoreStats | None = None


def take_cache(folder: Path, prune: bool = False, workers: int | None = None) -> CacheReport:
    """Measure the take store of the production folder ``folder``; with ``prune``, remove the takes no
    production there uses (see :func:`takes_in_use`) and the temporary files of killed builds."""
    folder = Path(folder)
    store = TakeStore(folder / TAKES_DIR)
    if not store.root.is_dir():
        raise InputError(f"{folder}: no take store here (build into this folder first)")
    needed = takes_in_use(folder, workers)
    if prune and not any(folder.glob(f"*{SUFFIX}")):
        raise InputError(f"{folder}: no production script (*{SUFFIX}) here, so every take would go; not pruning")
    removed = None
    if prune:
        remove_abandoned(store.root, recursive=True)
        remove_abandoned(folder)
        removed = store.prune(needed)
        _prune_envelopes(folder)
    return CacheReport(folder, store.stats(), len(needed & store.keys()), removed)


def _prune_envelopes(folder: Path) -> None:
    """Remove the section envelopes no current master lists (they are small and made again if needed)."""
    wanted = set()
    masters = _read_masters(folder)
    for entry in masters.values():
        wanted.update(section.get("envelope") for section in entry.get("sections", []))
    for path in (folder / ENVELOPES_DIR).glob("*.npy"):
        if path.stem not in wanted:
            path.unlink(missing_ok=True)


def _master_key(timeline: Timeline, settings: MasterSettings) -> str:
    payload = {"segments": [asdict(s) for s in timeline.segments], "settings": asdict(settings), "layout": MASTER_LAYOUT}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _read_masters(folder: Path) -> dict:
    path = folder / MASTERS_FILE
    try:
        return json.loads(path.read_text()) if path.exists() else {}
    except (OSError, ValueError):
        return {}


def _write_masters(production: Production, masters: dict) -> None:
    write_text_atomic(production.folder / MASTERS_FILE, json.dumps(masters, indent=1, sort_keys=True))
