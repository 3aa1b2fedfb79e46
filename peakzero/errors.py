"""The one domain exception of peakzero.

Every error a user can cause (bad input, unknown station, infeasible target) is raised as
:class:`PeakzeroError`; the CLI turns it into a message and exit code 2.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any


class PeakzeroError(ValueError):
    """A problem with the user's input or request.

    The message names the field, the value given, what is allowed and how to fix it.

    Parameters
    ----------
    message
        The full human-readable explanation.
    field
        The input field at fault, if there is one (e.g. ``"latitude"``).
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def check_range(
    field: str,
    value: float,
    low: float,
    high: float,
    *,
    unit: str = "",
    fix: str = "",
) -> float:
    """Return ``value`` if ``low <= value <= high``, else raise :class:`PeakzeroError`.

    >>> check_range("latitude", 31.2, -90, 90, unit="deg")
    31.2
    """
    if not (low <= value <= high):  # also rejects NaN
        unit_s = f" {unit}" if unit else ""
        hint = f" {fix}" if fix else ""
        raise PeakzeroError(
            f"{field} = {value}{unit_s} is out of range: allowed {low} to {high}{unit_s}.{hint}",
            field=field,
        )
    return value


def read_toml(path: str | Path, *, kind: str, field: str) -> dict[str, Any]:
    """Read a user's TOML file; a missing or malformed file is a :class:`PeakzeroError`.

    ``kind`` names the file in the message (``"site file"``), ``field`` is the error's field.
    UTF-8 with or without a byte-order mark (Notepad), UTF-16 and GBK/GB18030 (Chinese Windows)
    are read; anything else is refused with the fix.
    """
    from peakzero.load.encoding import decode_text  # here: peakzero.load imports this module

    p = Path(path)
    if not p.is_file():
        what = "is a folder, not a file" if p.is_dir() else "does not exist (file not found)"
        raise PeakzeroError(f"{kind} {str(p)!r} {what}", field=field)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise PeakzeroError(
            f"{kind} {str(p)!r} cannot be read ({exc.strerror})", field=field
        ) from None
    text, _ = decode_text(raw, what=f"{kind} {str(p)!r}", field=field)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PeakzeroError(f"{kind} {str(p)!r} is not valid TOML: {exc}", field=field) from None
