"""Decode a user's text file as it comes from a Chinese Windows PC.

Tried in order: a byte-order mark (UTF-8, UTF-16 LE/BE), UTF-16 without a mark (recognised
by its NUL bytes), UTF-8, then GB18030 (a superset of GBK and GB2312, the code pages Excel and
Notepad use on Chinese Windows). A file that is none of these is refused with the fix.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from peakzero.errors import PeakzeroError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with byte-order mark"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (little-endian)"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (big-endian)"),
)


def decode_text(raw: bytes, *, what: str, field: str) -> tuple[str, str]:
    """Decode ``raw`` and name the encoding found.

    Returns
    -------
    tuple
        ``(text, encoding name)``, the text without a byte-order mark.

    Raises
    ------
    PeakzeroError
        When the bytes are not text in any encoding tried (e.g. a binary or ``.xls`` file).

    Examples
    --------
    >>> decode_text("时间,功率(kW)".encode("gbk"), what="f", field="x")
    ('时间,功率(kW)', 'GBK/GB18030')
    >>> decode_text(codecs.BOM_UTF8 + b"a,b", what="f", field="x")
    ('a,b', 'UTF-8 with byte-order mark')
    """
    text, name = _decode(raw, what=what, field=field)
    return text.replace("\ufeff", ""), name  # a mark left inside by concatenated exports


def _decode(raw: bytes, *, what: str, field: str) -> tuple[str, str]:
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec), name
            except UnicodeDecodeError:
                break
    sample = raw[:4000]
    if sample and sample.count(b"\x00") > len(sample) // 4:  # UTF-16 without a mark
        codec = (
            "utf-16-le" if sample[1::2].count(b"\x00") > sample[::2].count(b"\x00") else "utf-16-be"
        )
        try:
            return raw.decode(codec), "UTF-16"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return raw.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            pass
        try:
            return raw.decode("gb18030"), "GBK/GB18030"
        except UnicodeDecodeError:
            pass
    raise PeakzeroError(
        f"{what} is not text in UTF-8, UTF-16 or GBK/GB18030 (a binary or old .xls file?). "
        "Save it as CSV (UTF-8) or as an Excel workbook (.xlsx).",
        field=field,
    )


def read_text(path: Path, *, what: str, field: str) -> tuple[str, str]:
    """Read and decode a text file (see :func:`decode_text`); an unreadable path is refused."""
    if path.is_dir():
        raise PeakzeroError(f"{what} is a folder, not a file; give the file's path", field=field)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PeakzeroError(
            f"{what} cannot be read ({exc.strerror}); check the path", field=field
        ) from None
    return decode_text(raw, what=what, field=field)
