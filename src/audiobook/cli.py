"""The command line: arguments in, one library call, output formatted. No logic lives here.

Exit codes: 0 ok, 1 a build or check failed, 2 bad input or usage.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path

import click

from audiobook.errors import AudiobookError


class _Group(click.Group):
    """Turn the library's errors into one-line messages and exit codes instead of tracebacks."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AudiobookError as error:
            click.echo(f"audiobook: error: {error}", err=True)
            sys.exit(error.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("audiobook: interrupted; finished takes are kept, run the same command to resume", err=True)
            sys.exit(130)
        except Exception as error:  # a bug: say so in one line; AUDIOBOOK_DEBUG=1 shows the traceback
            if os.environ.get("AUDIOBOOK_DEBUG"):
                raise
            click.echo(f"audiobook: internal error: {error.__class__.__name__}: {error} (AUDIOBOOK_DEBUG=1 shows more)", err=True)
            sys.exit(1)
        finally:
            # The command is done and its files are in place: spare the interpreter's last collection
            # a walk through numba's compiler objects (0.3 s at every exit after mastering).
            gc.freeze()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="audiobook")
def main() -> None:
    """Turn a manuscript into a multi-voice audiobook.

    \b
    Example:
      audiobook build examples/gull-point.md -o output/gull-point
    """


def _default_out(manuscript: Path) -> Path:
    return Path("output") / manuscript.stem


@main.command()
@click.argument("manuscript", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), help="Output folder [default: output/NAME].")
@click.option("--chapter", "chapters", type=int, multiple=True, help="Build only this chapter number (repeatable).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None, help="Worker processes [default: one per core].")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or chapter lines.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary at the end.")
@click.option("--spec", default="acx", show_default=True,
              help="Delivery spec every chapter is mastered to and checked against: acx, ebu-r128 or SPEC.toml.")
@click.option("--package", "packages", type=click.Choice(["acx", "apple", "google", "all"]), multiple=True,
              help="Also build this retail package into OUT/package-NAME (repeatable, or all).")
@click.option("--sample-chapter", type=int, default=None, help="Chapter the retail sample comes from [default: the first].")
def build(manuscript: Path, out_dir: Path | None, chapters: tuple[int, ...], jobs: int | None, quiet: bool, as_json: bool,
          spec: str, packages: tuple[str, ...], sample_chapter: int | None) -> None:  # fmt: skip
    """Build chapter MP3s from MANUSCRIPT (.txt, .md, .epub, .docx).

    Writes NN - Title.mp3 per chapter, the production script (NAME.script.txt) and the cast
    (cast.toml) into the output folder. Edit the script or the cast and build again: only what
    changed is rendered again. Every chapter is mastered to the --spec and checked against it as
    decoded from the MP3; a chapter that fails is renamed NN - Title.rejected.mp3 and the build
    exits 1.

    \b
    Examples:
      audiobook build examples/gull-point.md -o output/gull-point
      audiobook build examples/gull-point.md -o output/gull-point --chapter 2
      audiobook build examples/gull-point.md -o output/gull-point --package all

    With --package, the opening and closing credits and the retail sample are rendered too, and
    each package's files are checked (the ACX package against the acx spec): the build exits 1
    with one line per file a retailer would reject. Book metadata (author, narrator, cover, ...)
    is read from the header of the production script: edit it there.
    """
    from audiobook.production import Production
    from audiobook.production import build as run_build
    from audiobook.progress import RenderProgress

    production = Production(manuscript, out_dir or _default_out(manuscript))
    show = not quiet and not as_json
    with RenderProgress(enabled=show) as progress:
        report = run_build(production, list(chapters) or None, jobs, progress=progress.update, on_chapter=progress.chapter_done,
                           packages=packages, sample_chapter=sample_chapter, spec=spec)  # fmt: skip
    if as_json:
        packaged = {"packages": {p.name: {"folder": str(p.folder), "passed": p.passed} for p in report.packages}} if packages else {}
        click.echo(json.dumps({**report.summary(), **packaged}))
    elif not quiet:
        click.echo(f"script: {report.script}\ncast:   {report.cast}")
    for package in report.packages:
        for warning in package.warnings:
            click.echo(f"audiobook: warning: {warning} [{package.name}]", err=True)
        if not quiet and not as_json:
            click.echo(f"{package.name + ':':<7} {package.folder} ({'passed' if package.passed else 'REJECTED'})")
    rejected = [line for package in report.packages for line in package.rejections()]
    for line in rejected:
        click.echo(f"audiobook: rejected: {line}", err=True)
    if rejected:
        sys.exit(1)


@main.command()
@click.argument("manuscript", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), help="Output folder [default: output/NAME].")
@click.option("--fresh", is_flag=True, help="Discard corrections in an existing script.")
def parse(manuscript: Path, out_dir: Path | None, fresh: bool) -> None:
    """Write the production script of MANUSCRIPT without rendering.

    \b
    Example:
      audiobook parse examples/gull-point.md -o output/gull-point
    """
    from audiobook.production import Production
    from audiobook.production import parse as run_parse

    production = Production(manuscript, out_dir or _default_out(manuscript))
    script = run_parse(production, fresh=fresh)
    cues = sum(len(chapter.cues) for chapter in script.chapters)
    click.echo(f"{production.script_path}: {len(script.chapters)} chapters, {cues} cues, {len(script.characters)} characters")


@main.command()
@click.argument("manuscript", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the attribution as JSON (the evaluation contract).")
@click.option("--characters", "characters_path", type=click.Path(path_type=Path), help="JSON list of {name, aliases} to use instead of finding characters.")
def attribute(manuscript: Path, as_json: bool, characters_path: Path | None) -> None:
    """Find the quotes of MANUSCRIPT and who speaks each.

    \b
    Example:
      audiobook attribute examples/gull-point.md --json
    """
    from audiobook.script.contract import attribute_manuscript

    result = attribute_manuscript(manuscript, characters_path)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    for quote in result["quotes"]:
        click.echo(f"{quote['start']:>8} {quote['confidence']:.2f} {quote['rule']:<13} {quote['speaker']}")


@main.command()
@click.argument("script_path", metavar="SCRIPT", type=click.Path(path_type=Path))
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.5, show_default=True, help="List lines below this confidence.")
def review(script_path: Path, threshold: float) -> None:
    """List the low-confidence dialogue of SCRIPT with the lines around it.

    Correct a speaker by editing the cue in the script file; corrections survive re-parsing.

    \b
    Example:
      audiobook review output/gull-point/script.txt
    """
    from audiobook.script.review import review_lines
    from audiobook.script.scriptfile import read_script

    count = 0
    for line in review_lines(read_script(script_path), threshold):
        count += 1
        click.echo(f"{line.cue_id}  {line.speaker}  ({line.confidence:.2f}, {line.rule})")
        if line.before:
            click.echo(f"    before: {line.before}")
        click.echo(f"    >>      {line.text}")
        if line.after:
            click.echo(f"    after:  {line.after}")
    click.echo(f"{count} lines to review (confidence < {threshold})")


@main.command()
@click.option("--engine", help="Only this engine's voices.")
def voices(engine: str | None) -> None:
    """List the voice profiles and the engines' voices.

    \b
    Example:
      audiobook voices --engine espeak
    """
    from audiobook.casting.profile import load_profiles

    for profile in load_profiles().values():
        if engine and profile.engine != engine:
            continue
        click.echo(f"{profile.name:<26} {profile.engine:<7} {profile.gender} {profile.voice:<24} {profile.description}")


@main.command("cast")
@click.argument("source", metavar="SCRIPT_OR_MANUSCRIPT", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), help="Production folder of a manuscript [default: output/NAME].")
@click.option("--set", "assignments", metavar="CHARACTER=PROFILE", multiple=True, help="Give a character (or Narrator) a profile (repeatable).")
def cast_command(source: Path, out_dir: Path | None, assignments: tuple[str, ...]) -> None:
    """Show the cast (who reads what) and change it.

    Casts missing characters automatically (existing roles are kept) and writes cast.toml beside
    the production script.

    \b
    Example:
      audiobook cast examples/gull-point.md --set "Elsie=hibari-heart-low"
    """
    from audiobook.casting.sheet import cast_production

    result = cast_production(source, out_dir, list(assignments))
    click.echo(f"{'character':<24} {'lines':>5} {'gender':<6} {'profile':<26} engine")
    for row in result.rows:
        lines = f"{row.lines}+{row.narrates}" if row.narrates else str(row.lines)
        click.echo(f"{row.character[:24]:<24} {lines:>5} {row.gender:<6} {row.profile:<26} {row.engine}")
    for warning in result.warnings:
        click.echo(f"audiobook: warning: {warning}", err=True)
    click.echo(f"cast: {result.cast_path}")


@main.command()
@click.argument("profile_name", metavar="PROFILE")
@click.argument("text")
@click.option("-o", "--out", "out_file", type=click.Path(path_type=Path), help="WAV or MP3 file [default: audition-PROFILE.wav].")
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), help="Pronunciation lexicon to apply (lexicon.toml).")
@click.option("--voices", "voices_dir", type=click.Path(path_type=Path), help="A folder of extra voice profiles.")
def audition(profile_name: str, text: str, out_file: Path | None, lexicon_path: Path | None, voices_dir: Path | None) -> None:
    """Render TEXT with a voice profile, to listen to before casting.

    \b
    Example:
      audiobook audition piper-joe-narrator "Gull Point light." -o sample.mp3
    """
    from audiobook.casting.audition import audition as render_audition
    from audiobook.casting.lexicon import Lexicon
    from audiobook.casting.profile import load_profiles
    from audiobook.errors import InputError

    profiles = load_profiles(*([voices_dir] if voices_dir else []))
    if profile_name not in profiles:
        raise InputError(f"no voice profile named {profile_name!r} (see `audiobook voices`)")
    lexicon = Lexicon.load(lexicon_path) if lexicon_path else None
    result = render_audition(profiles[profile_name], text, out_file or Path(f"audition-{profile_name}.wav"), lexicon)
    click.echo(f"{result.path}  {result.duration_s:.2f} s  {result.engine_version}")
    if result.spoken != text:
        click.echo(f"spoken as: {result.spoken}")


@main.group()
def lexicon() -> None:
    """Pronunciation lexicon: find words it lacks, export it.

    \b
    Example:
      audiobook lexicon suggest examples/gull-point.md
    """


@lexicon.command("suggest")
@click.argument("manuscript", type=click.Path(path_type=Path))
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), help="Lexicon to compare with [default: output/NAME/lexicon.toml].")
@click.option("--min-count", type=click.IntRange(1), default=1, show_default=True, help="Only words seen this often.")
def lexicon_suggest(manuscript: Path, lexicon_path: Path | None, min_count: int) -> None:
    """List the names and unusual words of MANUSCRIPT the lexicon lacks, with counts.

    \b
    Example:
      audiobook lexicon suggest examples/gull-point.md --lexicon examples/lexicon.toml
    """
    from audiobook.casting.lexicon import Lexicon
    from audiobook.casting.pronunciation import book_suggestions, production_lexicon_path

    found = book_suggestions(manuscript, Lexicon.load(lexicon_path or production_lexicon_path(manuscript)), min_count)
    for word, count in found:
        click.echo(f"{count:>5}  {word}")
    click.echo(f"{len(found)} words the lexicon lacks", err=True)


@lexicon.command("export")
@click.option("--pls", "pls_path", required=True, type=click.Path(path_type=Path), help="The PLS (XML) file to write.")
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), default=Path("lexicon.toml"), show_default=True, help="The lexicon to export.")
@click.option("--lang", default="en-US", show_default=True, help="xml:lang of the PLS lexicon.")
def lexicon_export(pls_path: Path, lexicon_path: Path, lang: str) -> None:
    """Write the lexicon as W3C PLS 1.0 (Pronunciation Lexicon Specification).

    \b
    Example:
      audiobook lexicon export --lexicon examples/lexicon.toml --pls lexicon.pls
    """
    from audiobook.casting.pronunciation import export_pls

    count = export_pls(lexicon_path, pls_path, lang)
    click.echo(f"{pls_path}: {count} entries")


@main.command()
@click.argument("files", metavar="FILE...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--spec", default="acx", show_default=True, help="acx, ebu-r128, or a SPEC.toml file.")
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
@click.option("--junit", type=click.Path(path_type=Path), help="Also write a JUnit XML report to this file.")
@click.option("--plot", "plot_dir", type=click.Path(path_type=Path), help="Write a loudness/peak PNG per file here.")
def check(files: tuple[Path, ...], spec: str, as_json: bool, junit: Path | None, plot_dir: Path | None) -> None:
    """Measure audio files and check them against a delivery spec (exit 0 pass, 1 fail, 2 unreadable).

    \b
    Example:
      audiobook check output/gull-point/*.mp3 --spec acx --junit check.xml
    """
    from audiobook.check.report import print_run, run_check

    run = run_check(files, spec, junit=junit, plot_dir=plot_dir)
    print_run(run, as_json)
    sys.exit(run.exit_code)


@main.command()
@click.argument("source", metavar="MANUSCRIPT_OR_SCRIPT", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_file", required=True, type=click.Path(path_type=Path), help="The cue sheet file to write.")
@click.option("--format", "fmt", type=click.Choice(["html", "md", "csv", "json"]), help="[default: from the file name, else html]")
@click.option("--folder", type=click.Path(path_type=Path), help="Production folder of a manuscript [default: output/NAME].")
@click.option("--paper", type=click.Choice(["a4", "letter"]), help="Fix the printed page size of the HTML [default: the printer's].")
@click.option("--confirm-below", type=click.FloatRange(0, 1), default=0.5, show_default=True, help="Mark lines below this attribution confidence.")
def cuesheet(source: Path, out_file: Path, fmt: str | None, folder: Path | None, paper: str | None, confirm_below: float) -> None:
    """Write the narrator's cue sheet of a manuscript or production script (NAME.script.txt).

    Character bible, pronunciation guide, the script cue by cue, every character's lines and, after
    a build, where each cue starts in its chapter file.

    \b
    Examples:
      audiobook cuesheet examples/gull-point.md -o gull-point.html
      audiobook cuesheet output/gull-point/gull-point.script.txt -o cues.csv
    """
    from audiobook.cuesheet import write_cuesheet

    sheet = write_cuesheet(source, out_file, fmt, folder, paper, confirm_below)
    cues = sum(len(chapter.cues) for chapter in sheet.chapters)
    confirm = len(sheet.to_confirm())
    click.echo(f"{out_file}: {len(sheet.chapters)} chapters, {cues} cues, {len(sheet.characters) - 1} characters, {confirm} line{'' if confirm == 1 else 's'} to confirm")


@main.command()
@click.argument("folder", metavar="[DIR]", required=False, type=click.Path(path_type=Path))
@click.option("--prune", is_flag=True, help="Remove the takes no production in DIR uses.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def cache(folder: Path | None, prune: bool, as_json: bool) -> None:
    """Show the take store of a production folder DIR (or of every production under DIR) and prune it.

    A take is in use when the folder's script, cast, voices and lexicon need it, as the next build
    would read them; --prune deletes the rest (e.g. after recasting or rewriting).

    \b
    Examples:
      audiobook cache output/gull-point
      audiobook cache output --prune --json
    """
    from audiobook.production import TAKES_DIR, take_cache

    root = folder or Path("output")
    folders = [root] if (root / TAKES_DIR).is_dir() else sorted(p.parent for p in root.glob(f"*/{TAKES_DIR}") if p.is_dir())
    if not folders:
        raise click.UsageError(f"{root}: no take store here or in its subfolders (build into it first)")
    reports = [take_cache(path, prune=prune) for path in folders]
    if as_json:
        click.echo(json.dumps([
            {"folder": str(r.folder), "takes": r.held.takes, "bytes": r.held.bytes, "audio_seconds": round(r.held.audio_seconds, 3),
             "in_use": r.in_use, **({"removed": {"takes": r.removed.takes, "bytes": r.removed.bytes,
                                                 "audio_seconds": round(r.removed.audio_seconds, 3)}} if r.removed else {})}
            for r in reports
        ]))  # fmt: skip
        return
    for r in reports:
        if r.removed:
            click.echo(f"{r.folder}: removed {r.removed.takes} takes ({r.removed.bytes / 1e6:.1f} MB, {r.removed.audio_seconds / 60:.1f} min of audio)")
        click.echo(f"{r.folder}: {r.held.takes} takes, {r.held.bytes / 1e6:.1f} MB, {r.held.audio_seconds / 60:.1f} min of audio; "
                   f"{r.in_use} in use, {r.held.takes - r.in_use} unused")  # fmt: skip


if __name__ == "__main__":
    main()
