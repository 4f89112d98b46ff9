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
    hidden = primary(cube["n"], k)
    if not dims or not hidden.any():
        return hidden
    n = cube["n"]
    is_total = {d: cube[d] == TOTAL for d in dims}
    changed = True
    while changed:
        changed = False
        for d in dims:
            others = [o for o in dims if o != d]
            keys = others[0] if len(others) == 1 else others
            groups = cube.groupby(keys, sort=False).groups if others else {(): cube.index}
            for _key, index in groups.items():
                line = hidden.loc[index]
                if int(line.sum()) != 1:
                    continue
                visible = index[~line.to_numpy()]
                cells = [i for i in visible if not is_total[d].loc[i] and n.loc[i] > 0]
                if cells:
                    pick = min(cells, key=lambda i: (n.loc[i], str(i)))
                else:
                    totals = [i for i in visible if is_total[d].loc[i] and n.loc[i] > 0]
                    if not totals:
                        continue  # the hidden cell's line is all zeros: nothing to give away
                    pick = totals[0]
                hidden.loc[pick] = True
                changed = True
    return hidden
