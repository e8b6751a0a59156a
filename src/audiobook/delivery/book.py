"""The delivery stage as the build drives it: plan the credits, split long chapters, master the
credits and the sample, and build the packages.

:func:`audiobook.production.build` calls :func:`plan_delivery` before rendering (so the metadata is
checked before any work and the credits are rendered with the chapters), :func:`split_long_chapters`
after rendering, and :func:`deliver` after the chapters are mastered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from audiobook.delivery.credits import closing_credits, opening_credits
from audiobook.delivery.manifest import PackageReport
from audiobook.delivery.metadata import MetadataProblem, check_metadata
from audiobook.delivery.packages import Section, expand, make_packages
from audiobook.delivery.sample import sample_timeline
from audiobook.delivery.split import ACX_MAX_FILE_S, BREAK_PAUSES, split_chapter, split_points
from audiobook.delivery.tags import book_tags
from audiobook.errors import BuildError, InputError
from audiobook.mastering.master import MasterReport, MasterSettings
from audiobook.script.model import Chapter, Cue, Script
from audiobook.tts.takes import TakeStore

if TYPE_CHECKING:
    from audiobook.production import Production
    from audiobook.tts.render import TakeJob

Plan = tuple[Chapter, list[tuple[Cue, "TakeJob"]]]
MAX_FILE_S = ACX_MAX_FILE_S
"""The longest chapter file a build writes before splitting the chapter (seconds)."""
SAMPLE_FILE = "Retail Sample.mp3"


@dataclass
class DeliveryPlan:
    """What a build with ``--package`` adds: the packages, the credits and the sample's chapter."""

    packages: list[str]
    credits: list[Chapter]
    sample_chapter: int
    warnings: list[MetadataProblem] = field(default_factory=list)


def plan_delivery(
    script_path: Path, script: Script, packages: Sequence[str], chapters: Sequence[int] | None = None, sample_chapter: int | None = None
) -> DeliveryPlan:
    """Check the request and the book's metadata (InputError on the first error, naming how many
    more there are) and make the credit chapters."""
    names = expand(list(packages))
    if chapters:
        raise InputError("--package builds the whole book: leave out --chapter")
    if not script.chapters:
        raise InputError(f"{script_path}: the script has no chapters")
    numbers = [chapter.number for chapter in script.chapters]
    chosen = sample_chapter if sample_chapter is not None else numbers[0]
    if chosen not in numbers:
        raise InputError(f"--sample-chapter {chosen}: no such chapter (the book has {', '.join(map(str, numbers))})")
    problems = check_metadata(script, script_path, names)
    errors = list(dict.fromkeys(str(p.message) for p in problems if p.severity == "error"))
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InputError(errors[0] + more)
    warnings = list({p.message: p for p in problems if p.severity == "warning"}.values())
    credits = [opening_credits(script), closing_credits(script, max(numbers) + 1)]
    return DeliveryPlan(names, credits, chosen, warnings)


def can_end(jobs: list[tuple[Cue, object]]) -> list[bool]:
    """Whether a part (or the sample) may end after each cue: at a paragraph or scene end."""
    return [cue.pause in BREAK_PAUSES for cue, _ in jobs]


def split_long_chapters(
    plans: list[Plan], store: TakeStore, settings: MasterSettings, job_for: Callable[[Chapter, Cue], TakeJob], limit_s: float | None = None
) -> tuple[list[Plan], list[TakeJob]]:
    """Replace each chapter whose master would run over ``limit_s`` seconds (default
    :data:`MAX_FILE_S`) by its parts (see :mod:`.split`); return the new plans and the take jobs of
    the parts' spoken headers."""
    from audiobook.production import chapter_timeline

    limit_s = limit_s or MAX_FILE_S
    result: list[Plan] = []
    headings: list[TakeJob] = []
    for chapter, jobs in plans:
        timeline = chapter_timeline(jobs, settings)
        try:
            cuts = split_points(timeline.timings(store), can_end(jobs), settings.head_s, settings.tail_s, limit_s)
        except BuildError as error:
            raise BuildError(f"chapter {chapter.number} ({chapter.title}): {error}") from None
        parts = split_chapter(chapter, jobs, cuts, job_for)
        for part, part_jobs in parts[1:]:
            headings.append(part_jobs[0][1])
        result.extend(parts)
    return result, headings


def deliver(
    production: Production,
    script: Script,
    plan: DeliveryPlan,
    plans: list[Plan],
    masters: list[MasterReport],
    credit_plans: list[Plan],
    settings: MasterSettings,
    cache: dict,
) -> list[PackageReport]:
    """Master the credits and the sample, then build and check the packages in the production folder."""
    from audiobook.production import chapter_timeline, master_timeline

    store = production.store
    credit_masters = []
    for chapter, jobs in credit_plans:
        name = f"{chapter.number:02d} - {chapter.title}.mp3"
        credit_masters.append(master_timeline(production, chapter_timeline(jobs, settings), name, settings, cache, seed=chapter.number)[0])
    opening, closing = credit_masters
    sections = [Section("opening-credits", credit_plans[0][0].title, opening.path)]
    titles = {chapter.number: chapter.title for chapter in script.chapters}
    seen: dict[int, int] = {}
    for (chapter, _), master in zip(plans, masters):
        seen[chapter.number] = seen.get(chapter.number, 0) + 1
        split = chapter.title != titles.get(chapter.number, chapter.title)
        sections.append(Section("chapter", chapter.title, master.path, titles.get(chapter.number, chapter.title), seen[chapter.number] if split else None))
    sections.append(Section("closing-credits", credit_plans[1][0].title, closing.path))
    _, sample_jobs = next((c, j) for c, j in plans if c.number == plan.sample_chapter)
    timeline = sample_timeline(chapter_timeline(sample_jobs, settings), can_end(sample_jobs), store)
    sample_master, _ = master_timeline(production, timeline, SAMPLE_FILE, settings, cache, seed=plan.sample_chapter)
    sample = Section("sample", "Retail Sample", sample_master.path)
    tags = book_tags(script, production.script_path)
    warnings = {name: [p.message for p in plan.warnings if p.retailer == name] for name in plan.packages}
    return make_packages(production.folder, plan.packages, sections, sample, tags, script.metadata.isbn, warnings)
