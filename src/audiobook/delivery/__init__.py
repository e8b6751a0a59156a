"""delivery stage: book metadata, credits, retail sample, long-chapter splits and retail packages.

- :mod:`.metadata`: the book's metadata sources and each retailer's rules for them;
- :mod:`.credits`: opening and closing credits as chapters of their own;
- :mod:`.sample`: the retail sample (at most five minutes, cut at a paragraph end, faded);
- :mod:`.split`: chapters over ACX's 120 minutes split into parts at paragraph ends;
- :mod:`.tags`: ID3 and MP4 tags written and read back with mutagen;
- :mod:`.m4b`: the whole book as one M4B with exact chapter marks;
- :mod:`.packages`: the acx, apple and google packages, each file checked by the check gate;
- :mod:`.manifest`: each package's manifest.json and its atomic publication;
- :mod:`.book`: the stage as ``audiobook build --package`` drives it.

Library use::

    from audiobook.production import Production, build
    report = build(Production(Path("book.md"), Path("output/book")), packages=["all"])
    for package in report.packages:
        print(package.folder, package.passed, package.rejections())
"""

from audiobook.delivery.manifest import PackageFile, PackageReport
from audiobook.delivery.metadata import MetadataProblem, check_metadata, from_manuscript, isbn_valid
from audiobook.delivery.packages import PACKAGES, Section, expand, make_packages, package_folder

__all__ = [
    "PACKAGES",
    "MetadataProblem",
    "PackageFile",
    "PackageReport",
    "Section",
    "check_metadata",
    "expand",
    "from_manuscript",
    "isbn_valid",
    "make_packages",
    "package_folder",
]
