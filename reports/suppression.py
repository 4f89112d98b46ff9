"""Small-cell suppression for tables shared with donors (DOMAIN.md, "Sharing aggregates").

A table is a cube: every combination of its dimensions' values plus the margins (a dimension at
``TOTAL``), each with ``n``, the number of units behind the cell (people, person–course pairs, or
matched test pairs). Primary suppression hides every cell with 0 < n < k. Complementary
suppression then walks every *line* of the cube (one dimension varying, the others fixed,
including its total): a line with exactly one hidden cell would give it away by subtraction, so
the smallest non-zero visible cell of that line is hidden too (or the line's total, when nothing
else is left). This repeats until no line has a single hidden cell, across all dimensions, so a
hidden value cannot be recovered from row or column totals. Zeros are not sensitive and stay.
"""

import pandas as pd

TOTAL = "__total__"


def primary(n: pd.Series, k: int) -> pd.Series:
    return (n > 0) & (n < k)


def suppress(cube: pd.DataFrame, dims: list[str], k: int) -> pd.Series:
    """A boolean Series (the cube's index): which cells to hide. ``cube`` has the ``dims``
    columns (margins as TOTAL) and ``n``."""
    hidden_series = primary(cube["n"], k)
    if not dims or not hidden_series.any():
        return hidden_series
    # Plain lists: the walk below looks at cells one by one (a national table has thousands).
    labels = list(cube.index)
    n = cube["n"].tolist()
    hidden = hidden_series.tolist()
    values = {d: cube[d].tolist() for d in dims}
    is_total = {d: [v == TOTAL for v in values[d]] for d in dims}
    # The lines of each dimension: rows sharing the other dimensions' values, lines in the
    # order of their first row, rows in cube order.
    lines: dict[str, list[list[int]]] = {}
    for d in dims:
        others = [values[o] for o in dims if o != d]
        grouped: dict[tuple, list[int]] = {}
        for row in range(len(labels)):
            grouped.setdefault(tuple(v[row] for v in others), []).append(row)
        lines[d] = list(grouped.values())
    changed = True
    while changed:
        changed = False
        for d in dims:
            for line in lines[d]:
                if sum(hidden[row] for row in line) != 1:
                    continue
                visible = [row for row in line if not hidden[row]]
                cells = [row for row in visible if not is_total[d][row] and n[row] > 0]
                if cells:
                    pick = min(cells, key=lambda row: (n[row], str(labels[row])))
                else:
                    totals = [row for row in visible if is_total[d][row] and n[row] > 0]
                    if not totals:
                        continue  # the hidden cell's line is all zeros: nothing to give away
                    pick = totals[0]
                hidden[pick] = True
                changed = True
    return pd.Series(hidden, index=cube.index, dtype=bool)
