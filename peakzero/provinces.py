"""The 31 mainland province-level regions and their time-of-use grid areas.

One table, ``peakzero/data/provinces.csv``: the English name used everywhere in peakzero (the
``province`` column of ``weather/stations.csv``), the Chinese names (江苏省 and 江苏), pinyin,
other spellings and the grid areas whose tariffs apply there (河北 has the Hebei Southern Grid
and the Jibei Grid, 内蒙古 has Mengxi and Mengdong: 33 grid areas in all).

Standard library only (``csv``), so that ``peakzero tariff list --province 四川`` stays fast.
"""

from __future__ import annotations

import csv
import difflib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from peakzero.errors import PeakzeroError


@dataclass(frozen=True)
class Province:
    """A mainland province-level region.

    Attributes
    ----------
    name
        English name as in ``weather/stations.csv``, e.g. ``"Jiangsu"``, ``"Nei Mongol"``.
    name_zh, short_zh
        Full and short Chinese names, e.g. ``"江苏省"``, ``"江苏"``.
    pinyin
        Toneless pinyin, e.g. ``"jiangsu"`` (``"shaanxi"`` for 陕西, ``"shanxi"`` for 山西).
    aliases
        Other accepted spellings, e.g. ``("Inner Mongolia",)``.
    grid_areas
        Ids of its time-of-use grid areas, e.g. ``("hebei_south", "jibei")``.
    source
        Where the row comes from.
    """

    name: str
    name_zh: str
    short_zh: str
    pinyin: str
    aliases: tuple[str, ...]
    grid_areas: tuple[str, ...]
    source: str

    def spellings(self) -> tuple[str, ...]:
        """Every accepted spelling, normalised (see :func:`_key`)."""
        return tuple(
            _key(s)
            for s in (self.name, self.name_zh, self.short_zh, self.pinyin, *self.aliases)
            if s
        )


#: Tone-marked pinyin that drops to another province's spelling without its tones: 陕西 is
#: Shǎnxī (third tone), spelt "Shaanxi" to keep it apart from 山西 Shānxī.
_TONED = {"shǎn": "shaan", "shăn": "shaan"}  # caron, or the breve typed for it


def _key(text: str) -> str:
    """Case-, width-, space- and tone-insensitive form of a name (``Jiāngsū`` -> ``jiangsu``).

    >>> _key("Jiāngsū"), _key("Shǎnxī"), _key("Shānxī"), _key("江苏省")
    ('jiangsu', 'shaanxi', 'shanxi', '江苏省')
    """
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).casefold())
    for toned, plain in _TONED.items():
        folded = folded.replace(toned, plain)
    bare = unicodedata.normalize("NFD", folded)  # tone marks become combining characters
    return "".join(ch for ch in bare if ch.isalnum() and not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    """All 31 provinces, in table order.

    >>> len(provinces()), sum(len(p.grid_areas) for p in provinces())
    (31, 33)
    """
    text = resources.files("peakzero").joinpath("data/provinces.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    out = []
    for row in rows:
        if not row["source"].strip():
            raise PeakzeroError(f"provinces.csv: row {row['province']!r} has no source")
        out.append(
            Province(
                name=row["province"],
                name_zh=row["name_zh"],
                short_zh=row["short_zh"],
                pinyin=row["pinyin"],
                aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
                grid_areas=tuple(a.strip() for a in row["grid_areas"].split(";") if a.strip()),
                source=row["source"],
            )
        )
    return tuple(out)


def resolve_province(text: str) -> Province:
    """The province named by ``text``: English, Chinese (江苏 or 江苏省), pinyin with or without
    tone marks (Jiāngsū), any case.

    Raises
    ------
    PeakzeroError
        For an unknown name, listing the closest spellings.

    Examples
    --------
    >>> resolve_province("四川").name, resolve_province("SiChuan").name_zh
    ('Sichuan', '四川省')
    >>> resolve_province("Inner Mongolia").grid_areas
    ('mengxi', 'mengdong')
    """
    key = _key(text)
    for province in provinces():
        if key in province.spellings():
            return province
    # a grid-area id names its province too ("hebei_south", "jibei")
    for province in provinces():
        if key in {_key(a) for a in province.grid_areas}:
            return province
    names = {s: p for p in provinces() for s in (p.name, p.name_zh, p.short_zh, p.pinyin)}
    close = difflib.get_close_matches(text, list(names), n=4, cutoff=0.5)
    close += difflib.get_close_matches(key, [p.pinyin for p in provinces()], n=4, cutoff=0.5)
    unique = {c.casefold(): c for c in reversed(close)}  # one spelling per name, first kept
    hint = ", ".join(reversed(unique.values())) or ", ".join(p.name for p in provinces())
    raise PeakzeroError(
        f"unknown province {text!r}; give a mainland province in English, pinyin or Chinese "
        f"(e.g. 'Sichuan', 'sichuan', '四川'); close matches: {hint}",
        field="province",
    )


def same_province(a: str, b: str) -> bool:
    """Whether two province names (any accepted spelling) are the same province."""
    return resolve_province(a).name == resolve_province(b).name
