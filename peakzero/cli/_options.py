"""Engine errors name input fields; on the command line the user typed options: add them.

The engines never mention command-line options (a notebook user has none). A command wraps its
call of the engine in :func:`options` with the field -> option table of that command, and an
error about one of those fields gets the option appended, e.g. ``latitude = 95 deg is out of
range ... (on the command line: --lat)``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from peakzero.errors import PeakzeroError

#: Input field of the engines -> the options of the commands that locate a site.
WEATHER_OPTIONS = {
    "station": "--station",
    "latitude": "--lat",
    "longitude": "--lon",
    "weather": "--weather",
    "weather_source": "--station NAME, --lat LAT --lon LON, or --weather FILE",
    "location": "--station NAME, --lat LAT --lon LON, or --weather FILE",
    "year": "--year",
}


def with_option(exc: PeakzeroError, table: Mapping[str, str]) -> PeakzeroError:
    """``exc`` with the command-line option of its field appended (unchanged if none applies).

    >>> err = with_option(PeakzeroError("kwp = -3 is out of range", field="kwp"), {"kwp": "--kwp"})
    >>> str(err), err.field
    ('kwp = -3 is out of range (on the command line: --kwp)', 'kwp')
    """
    option = table.get(exc.field) if exc.field is not None else None
    message = str(exc)
    if option is None or option in message:
        return exc
    return PeakzeroError(f"{message} (on the command line: {option})", field=exc.field)


@contextmanager
def options(table: Mapping[str, str]) -> Iterator[None]:
    """Re-raise a :class:`PeakzeroError` raised inside with its command-line option named."""
    try:
        yield
    except PeakzeroError as exc:
        raise with_option(exc, table) from None
