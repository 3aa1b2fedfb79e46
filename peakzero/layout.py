"""Named layout of a linear programme's columns and rows, and the sparse builder that uses it.

Both of peakzero's LPs (the site LP, :mod:`peakzero.optimize.build`, and the pathway LP,
:mod:`peakzero.pathway.lp`) declare their columns once, as named *scalars* (one column) and
*blocks* (a vector or a matrix of columns), and add their constraints family by family through
:class:`LpBuilder`: a family is a named run of rows with bounds; a term puts coefficients on a
named column, block entries picked by index. Positions are computed here and nowhere else; the
built LP keeps both layouts, so a caller reads a solution by name (``x[lp.columns["soc"]]``)
and relaxes a constraint family by name (``lp.rows["co2"]``).

>>> cols = Layout()
>>> cols.add("kwp"), cols.add("soc", 3), cols.add("units", (2, 2))
(slice(0, 1, None), slice(1, 4, None), slice(4, 8, None))
>>> cols.index("kwp"), cols.indices("soc").tolist(), cols.indices("units", ([1], [0])).tolist()
(0, [1, 2, 3], [6])
>>> lp = LpBuilder(cols)
>>> lp.family("balance", lower=[1.0, 1.0, 1.0], upper=[1.0, 1.0, 1.0]).term("soc", 1.0).term(
...     "kwp", -2.0
... )  # doctest: +ELLIPSIS
<peakzero.layout.Family object at ...>
>>> lp.matrix().toarray()[:, :4].tolist()
[[-2.0, 1.0, 0.0, 0.0], [-2.0, 0.0, 1.0, 0.0], [-2.0, 0.0, 0.0, 1.0]]
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
#: Entry indices into a block: one array for a vector block, one per axis for a matrix block.
At = npt.ArrayLike | tuple[npt.ArrayLike, ...]


class Layout:
    """Named, consecutive ranges of indices (columns or rows), in the order they are added.

    A name of shape ``()`` is a scalar (one index); any other shape is a block, stored in C
    order (a block ``(M, N)`` holds entry ``(i, j)`` at ``start + i * N + j``).
    """

    def __init__(self) -> None:
        self._start: dict[str, int] = {}
        self._shape: dict[str, tuple[int, ...]] = {}
        self.size = 0

    def add(self, name: str, shape: int | tuple[int, ...] = ()) -> slice:
        """Append ``name`` with ``shape`` and return its slice."""
        if name in self._start:
            raise ValueError(f"{name!r} is already in the layout")
        dims = (shape,) if isinstance(shape, int) else tuple(shape)
        self._start[name] = self.size
        self._shape[name] = dims
        self.size += math.prod(dims)
        return self[name]

    def __contains__(self, name: object) -> bool:
        return name in self._start

    def __iter__(self) -> Iterator[str]:
        return iter(self._start)

    def __getitem__(self, name: str) -> slice:
        """The slice of ``name`` (a scalar's slice holds one index)."""
        start = self._start[name]
        return slice(start, start + math.prod(self._shape[name]))

    def shape(self, name: str) -> tuple[int, ...]:
        """Shape of ``name``: ``()`` for a scalar."""
        return self._shape[name]

    def index(self, name: str) -> int:
        """Index of the scalar ``name``."""
        if self._shape[name] != ():
            raise ValueError(f"{name!r} is a block of shape {self._shape[name]}, not a scalar")
        return self._start[name]

    def indices(self, name: str, at: At | None = None) -> IntArray:
        """Indices of block ``name``'s entries ``at`` (all of them, in order, by default)."""
        start, shape = self._start[name], self._shape[name]
        if at is None:
            return np.arange(start, start + math.prod(shape), dtype=np.int64)
        if len(shape) <= 1:
            return start + np.asarray(at, dtype=np.int64)
        assert isinstance(at, tuple) and len(at) == len(shape), "one index array per axis"
        flat = np.ravel_multi_index(tuple(np.asarray(a, dtype=np.int64) for a in at), shape)
        return start + np.asarray(flat, dtype=np.int64)

    def take(self, values: FloatArray, name: str) -> FloatArray:
        """The entries of ``name`` in ``values`` (one per index), in the block's shape."""
        shape = self._shape[name]
        return values[self[name]].reshape(shape) if shape else values[self[name]]

    def value(self, values: FloatArray, name: str) -> float:
        """The value of the scalar ``name`` in ``values``."""
        return float(values[self.index(name)])


class Family:
    """Rows of one constraint family in an :class:`LpBuilder`; :meth:`term` adds coefficients."""

    def __init__(self, builder: LpBuilder, name: str, count: int) -> None:
        self._builder = builder
        self.name = name
        self.count = count
        self.start = builder.rows[name].start

    def term(
        self,
        column: str,
        value: npt.ArrayLike,
        *,
        rows: npt.ArrayLike | None = None,
        at: At | None = None,
    ) -> Family:
        """Add ``value`` times column ``column`` to the family's rows.

        Entry ``k`` of the term goes to the family's row ``rows[k]`` (default: row ``k``, one
        entry per row) and, for a block, to the block's entry ``at[k]`` (default: entry ``k``).
        A scalar column takes every entry. ``value`` broadcasts to the entries.
        """
        b = self._builder
        local = b.arange(self.count) if rows is None else np.asarray(rows, dtype=np.int64)
        cols = b.columns
        if cols.shape(column) == ():
            index = np.full(local.size, cols.index(column), dtype=np.int64)
        elif at is None:
            index = cols[column].start + b.arange(local.size)
        else:
            index = cols.indices(column, at)
        self._builder.add_entries(self.start + local, index, value)
        return self


class LpBuilder:
    """Objective, column bounds and sparse rows of an LP over a column :class:`Layout`.

    ``min cost @ x + offset`` s.t. ``row_lower <= A x <= row_upper`` and
    ``col_lower <= x <= col_upper``; columns default to cost 0 and bounds ``[0, inf)``.
    """

    def __init__(self, columns: Layout) -> None:
        self.columns = columns
        self.rows = Layout()
        self.cost = np.zeros(columns.size)
        self.col_lower = np.zeros(columns.size)
        self.col_upper = np.full(columns.size, np.inf)
        self._r: list[IntArray] = []
        self._c: list[IntArray] = []
        self._v: list[FloatArray] = []
        self._lo: list[FloatArray] = []
        self._hi: list[FloatArray] = []
        self._aranges: dict[int, IntArray] = {}

    def arange(self, count: int) -> IntArray:
        """``0 .. count - 1`` (cached: every per-interval family uses the same one; read only)."""
        cached = self._aranges.get(count)
        if cached is None:
            cached = np.arange(count, dtype=np.int64)
            cached.flags.writeable = False
            self._aranges[count] = cached
        return cached

    def set_cost(self, column: str, value: npt.ArrayLike) -> None:
        """Objective coefficient(s) of ``column`` (broadcast over a block)."""
        self.cost[self.columns[column]] = value

    def set_bounds(self, column: str, lower: npt.ArrayLike, upper: npt.ArrayLike) -> None:
        """Bounds of ``column`` (broadcast over a block)."""
        s = self.columns[column]
        self.col_lower[s] = lower
        self.col_upper[s] = upper

    def family(self, name: str, lower: npt.ArrayLike, upper: npt.ArrayLike) -> Family:
        """Open the constraint family ``name``: one row per entry of the broadcast bounds."""
        lo, hi = np.broadcast_arrays(np.asarray(lower, dtype=float), np.asarray(upper, dtype=float))
        lo, hi = np.atleast_1d(lo), np.atleast_1d(hi)
        self.rows.add(name, lo.size)
        self._lo.append(np.array(lo, dtype=float))
        self._hi.append(np.array(hi, dtype=float))
        return Family(self, name, lo.size)

    def add_entries(self, rows: IntArray, cols: IntArray, value: npt.ArrayLike) -> None:
        """Raw COO entries (absolute row and column indices); prefer :meth:`Family.term`."""
        self._r.append(rows)
        self._c.append(cols)
        self._v.append(np.broadcast_to(np.asarray(value, dtype=float), rows.shape))

    @property
    def row_lower(self) -> FloatArray:
        """Lower row bounds, all families in order."""
        return np.concatenate(self._lo) if self._lo else np.zeros(0)

    @property
    def row_upper(self) -> FloatArray:
        """Upper row bounds, all families in order."""
        return np.concatenate(self._hi) if self._hi else np.zeros(0)

    def matrix(self) -> sp.csc_matrix:
        """The constraint matrix (duplicate entries summed)."""
        shape = (self.rows.size, self.columns.size)
        if not self._r:
            return sp.csc_matrix(shape)
        return sp.csc_matrix(
            (np.concatenate(self._v), (np.concatenate(self._r), np.concatenate(self._c))),
            shape=shape,
        )
