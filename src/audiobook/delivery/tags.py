"""Tags: the book's metadata written into delivered files with mutagen, and read back.

MP3 files get ID3v2.3 tags (the version every player and retailer reads): TIT2 the section's title,
TALB the book's title, TPE1 artist and TPE2 album artist the author(s), TCOM composer the narrator(s),
TRCK track n/N, TYER year, TCON genre "Audiobook", TPUB publisher, COMM description and APIC the
front cover. An M4B gets the iTunes atoms: ``©nam``/``©alb`` the book's title, ``©ART``/``aART`` the
author(s), ``©wrt`` the narrator(s), ``©day``, ``©gen``, ``desc``, ``stik`` = 2 (audiobook) and
``covr``. Several names are joined with ", ".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import APIC, COMM, ID3, TALB, TCOM, TCON, TIT2, TIT3, TPE1, TPE2, TPUB, TRCK, TYER
from mutagen.mp4 import MP4, MP4Cover

from audiobook.delivery.metadata import cover_facts, cover_path
from audiobook.script.model import Script

GENRE = "Audiobook"


@dataclass(frozen=True)
class BookTags:
    """The tag values of a book (names joined for display)."""

    album: str
    subtitle: str
    artist: str
    composer: str
    publisher: str
    year: str
    description: str
    language: str
    cover: Path | None
    genre: str = GENRE


def book_tags(script: Script, script_path: Path) -> BookTags:
    """The tags of ``script``'s book; the cover path as the script file names it."""
    metadata = script.metadata
    return BookTags(
        album=script.title,
        subtitle=metadata.subtitle,
        artist=", ".join(metadata.authors),
        composer=", ".join(metadata.narrators),
        publisher=metadata.publisher,
        year=str(metadata.year) if metadata.year else "",
        description=metadata.description,
        language=metadata.language,
        cover=cover_path(script, script_path),
    )


def _cover(tags: BookTags) -> tuple[bytes, str] | None:
    if tags.cover is None or not tags.cover.is_file():
        return None
    kind, _, _ = cover_facts(tags.cover)
    return tags.cover.read_bytes(), "image/png" if kind == "PNG" else "image/jpeg"


def write_id3(path: Path, tags: BookTags, title: str, track: int, total: int) -> None:
    """Replace the ID3 tag of the MP3 at ``path``; ``title`` is the section's, ``track`` 1-based."""
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=title))
    id3.add(TALB(encoding=3, text=tags.album))
    if tags.subtitle:
        id3.add(TIT3(encoding=3, text=tags.subtitle))
    if tags.artist:
        id3.add(TPE1(encoding=3, text=tags.artist))
        id3.add(TPE2(encoding=3, text=tags.artist))
    if tags.composer:
        id3.add(TCOM(encoding=3, text=tags.composer))
    id3.add(TRCK(encoding=3, text=f"{track}/{total}"))
    if tags.year:
        id3.add(TYER(encoding=3, text=tags.year))
    id3.add(TCON(encoding=3, text=tags.genre))
    if tags.publisher:
        id3.add(TPUB(encoding=3, text=tags.publisher))
    if tags.description:
        id3.add(COMM(encoding=3, lang="eng", desc="", text=tags.description))
    cover = _cover(tags)
    if cover:
        id3.add(APIC(encoding=3, mime=cover[1], type=3, desc="Cover", data=cover[0]))
    id3.save(str(path), v2_version=3)


def read_id3(path: Path) -> dict[str, str]:
    """The text tags of an MP3 by frame id (TIT2, TALB, ...), plus "APIC" = the cover's MIME type."""
    id3 = ID3(str(path))
    found = {frame_id: str(id3[frame_id]) for frame_id in ("TIT2", "TALB", "TIT3", "TPE1", "TPE2", "TCOM", "TRCK", "TYER", "TDRC", "TCON", "TPUB") if frame_id in id3}
    pictures = id3.getall("APIC")
    if pictures:
        found["APIC"] = pictures[0].mime
    return found


def write_mp4(path: Path, tags: BookTags) -> None:
    """Set the iTunes tags and cover of the M4B at ``path`` (its chapters are left as they are)."""
    mp4 = MP4(str(path))
    mp4["\xa9nam"] = [tags.album]
    mp4["\xa9alb"] = [tags.album]
    if tags.artist:
        mp4["\xa9ART"] = [tags.artist]
        mp4["aART"] = [tags.artist]
    if tags.composer:
        mp4["\xa9wrt"] = [tags.composer]
    if tags.year:
        mp4["\xa9day"] = [tags.year]
    mp4["\xa9gen"] = [tags.genre]
    if tags.description:
        mp4["desc"] = [tags.description]
    mp4["stik"] = [2]
    mp4["trkn"] = [(1, 1)]
    cover = _cover(tags)
    if cover:
        image_format = MP4Cover.FORMAT_PNG if cover[1] == "image/png" else MP4Cover.FORMAT_JPEG
        mp4["covr"] = [MP4Cover(cover[0], imageformat=image_format)]
    mp4.save()


def read_mp4(path: Path) -> tuple[dict[str, str], list[tuple[float, str]]]:
    """(tags by atom name, chapters as (start in seconds, title)) of an M4B."""
    mp4 = MP4(str(path))
    found: dict[str, str] = {}
    for key, value in (mp4.tags or {}).items():
        if key == "covr":
            found[key] = "image/png" if value[0].imageformat == MP4Cover.FORMAT_PNG else "image/jpeg"
        elif isinstance(value, list) and value and isinstance(value[0], str):
            found[key] = value[0]
    chapters = [(float(chapter.start), str(chapter.title)) for chapter in (mp4.chapters or [])]
    return found, chapters
