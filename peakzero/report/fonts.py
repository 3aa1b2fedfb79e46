"""Find a font that covers Chinese, for charts (matplotlib) and the PDF (WeasyPrint).

Looked up through fontconfig (``fc-list :lang=zh``) first, then at well-known file paths.
No font is downloaded: ``bash scripts/setup_fonts.sh`` installs one on Debian/Ubuntu.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from peakzero.errors import PeakzeroError

#: Preferred CJK families, best first; used both to pick a font and as the CSS fallback list.
PREFERRED_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)

#: Well-known font files by family, for machines without fontconfig's ``fc-list``.
KNOWN_PATHS: tuple[tuple[str, str], ...] = (
    ("Noto Sans CJK SC", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    ("WenQuanYi Micro Hei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    ("WenQuanYi Zen Hei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    ("Droid Sans Fallback", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    ("PingFang SC", "/System/Library/Fonts/PingFang.ttc"),
    ("Microsoft YaHei", "C:/Windows/Fonts/msyh.ttc"),
)

SETUP_HINT = "Install one with `bash scripts/setup_fonts.sh` (Debian/Ubuntu, as root)."


@dataclass(frozen=True)
class CjkFont:
    """A font file that covers Chinese.

    Attributes
    ----------
    family
        The family name fontconfig and CSS know it by, e.g. ``"WenQuanYi Micro Hei"``.
    path
        The font file (``.ttf``, ``.otf`` or ``.ttc``).
    """

    family: str
    path: Path


def _from_fontconfig() -> list[CjkFont]:
    exe = shutil.which("fc-list")
    if exe is None:
        return []
    try:
        out = subprocess.run(
            [exe, ":lang=zh", "family", "file"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    fonts: list[CjkFont] = []
    for line in out.splitlines():
        path_s, sep, families = line.partition(": ")
        if not sep:
            continue
        for family in families.split(","):
            fonts.append(CjkFont(family=family.strip(), path=Path(path_s.strip())))
    return fonts


def _rank(font: CjkFont) -> tuple[int, str]:
    try:
        return (PREFERRED_FAMILIES.index(font.family), font.family)
    except ValueError:
        # Unknown CJK families after the preferred ones; "Mono" variants last.
        return (len(PREFERRED_FAMILIES) + ("Mono" in font.family), font.family)


@lru_cache(maxsize=1)
def find_cjk_font() -> CjkFont | None:
    """Return the best installed font covering Chinese, or None if there is none.

    Families are ranked by :data:`PREFERRED_FAMILIES`; only Latin-script family names are
    considered (fontconfig also lists the Chinese names of the same family).
    """
    candidates = [
        f for f in _from_fontconfig() if f.family.isascii() and f.path.suffix.lower() != ".pcf"
    ]
    candidates += [CjkFont(fam, Path(p)) for fam, p in KNOWN_PATHS if Path(p).is_file()]
    candidates = [f for f in candidates if f.path.is_file()]
    if not candidates:
        return None
    return min(candidates, key=_rank)


def require_cjk_font() -> CjkFont:
    """Return a CJK font or raise :class:`PeakzeroError` saying how to install one."""
    font = find_cjk_font()
    if font is None:
        raise PeakzeroError(
            "lang = 'zh' needs a font covering Chinese, and none is installed "
            f"(looked with `fc-list :lang=zh` and at {len(KNOWN_PATHS)} known paths). "
            f"{SETUP_HINT} Or render with lang = 'en'.",
            field="lang",
        )
    return font


def css_font_stack(font: CjkFont | None) -> str:
    """Return a CSS ``font-family`` value: Latin sans first, then the CJK families.

    >>> css_font_stack(None).split(", ")[:2]
    ['"DejaVu Sans"', '"Liberation Sans"']
    """
    families = ["DejaVu Sans", "Liberation Sans", "Arial"]
    if font is not None:
        families.append(font.family)
    families += [f for f in PREFERRED_FAMILIES if f not in families]
    return ", ".join(f'"{f}"' for f in families) + ", sans-serif"
