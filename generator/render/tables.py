"""Official tables laid out as the format prints them, from the format definition.

Rows, columns, labels and groups come from ``generator.formats``; nothing
here lists a row. Three layouts cover the official tables:

* ``row_groups``: table 3 — row labels over several columns with rowspans
  (三、本年度办理结果 → （三）不予公开 → 1.属于国家秘密) and a column header of
  two levels (法人或其他组织 over its five columns);
* ``column_groups``: table 2 — each group of rows under its own header row
  (第二十条第（一）项) with its own columns;
* ``transposed``: table 4 — the rows become column groups
  (行政复议 | 行政诉讼 → 未经复议直接起诉 | 复议后起诉) over one row of numbers.
"""

from __future__ import annotations

from ..formats import Column, Row, Table
from ..records import Cell, CellKind, ReportTable
from .contexts import BodyRow, CellView, HeadCell

# Presentation only: the printed super-header above table 3's applicant columns,
# and which tables the official format prints with rows turned into columns.
COLUMN_SUPERHEADERS = {"requests": "申请人情况"}
TRANSPOSED = frozenset({"appeals"})


def cell_view(cell: Cell, field: str = "") -> CellView:
    """A cell for display: the number, blank (''), or the mark/text as printed."""
    kind = cell.kind.value if isinstance(cell.kind, CellKind) else str(cell.kind)
    return CellView(kind, cell.display(), field)


def layout(
    table: Table, data: ReportTable
) -> tuple[tuple[tuple[HeadCell, ...], ...], tuple[BodyRow, ...]]:
    """(header rows, body rows) of ``table`` filled with the report's ``data``."""
    if table.code in TRANSPOSED:
        return transposed(table, data)
    if not table.uniform:
        return column_groups(table, data)
    return row_groups(table, data)


def _path(row: Row) -> tuple[str, ...]:
    return tuple(row.group.split("/")) if row.group else ()


def _run(rows: tuple[Row, ...], i: int, prefix: tuple[str, ...]) -> int:
    """How many rows from ``i`` on share the group ``prefix``."""
    n = 0
    while i + n < len(rows) and _path(rows[i + n])[: len(prefix)] == prefix:
        n += 1
    return n


def _column_head(
    columns: tuple[Column, ...], corner: HeadCell, super_label: str
) -> list[list[HeadCell]]:
    grouped = any(c.group for c in columns)
    levels = 1 + grouped
    rows: list[list[HeadCell]] = []
    if super_label:
        rows.append([HeadCell(super_label, colspan=len(columns), scope="colgroup")])
    lower: list[HeadCell] = []
    upper: list[HeadCell] = []
    i = 0
    while i < len(columns):
        col = columns[i]
        if not col.group:
            upper.append(HeadCell(col.label, rowspan=levels))
            i += 1
            continue
        n = 0
        while i + n < len(columns) and columns[i + n].group == col.group:
            lower.append(HeadCell(columns[i + n].label))
            n += 1
        upper.append(HeadCell(col.group, colspan=n, scope="colgroup"))
        i += n
    rows.append(upper)
    if lower:
        rows.append(lower)
    rows[0].insert(
        0, HeadCell(corner.text, colspan=corner.colspan, rowspan=len(rows), css="gk-corner")
    )
    return rows


def row_groups(table: Table, data: ReportTable):  # type: ignore[no-untyped-def]
    """Table 3: grouped row labels with rowspans, grouped column headers."""
    rows = table.rows
    depth = max(len(_path(r)) for r in rows) + 1
    corner = HeadCell(f"（{table.note}）" if table.note else "项目", colspan=depth)
    head = _column_head(table.columns, corner, COLUMN_SUPERHEADERS.get(table.code, ""))
    body = []
    for i, row in enumerate(rows):
        path = _path(row)
        heads = []
        for level in range(len(path)):
            prefix = path[: level + 1]
            if i == 0 or _path(rows[i - 1])[: level + 1] != prefix:
                heads.append(HeadCell(prefix[-1], rowspan=_run(rows, i, prefix), scope="rowgroup"))
        heads.append(HeadCell(f"{row.number}{row.label}", colspan=depth - len(path), scope="row"))
        cells = tuple(
            cell_view(data.cell(row.code, c.code), f"{table.code}.{row.code}.{c.code}")
            for c in row.columns
        )
        css = "gk-total" if row.code == "total" else ""
        body.append(BodyRow(row.code, tuple(heads), cells, css))
    return tuple(tuple(r) for r in head), tuple(body)


def column_groups(table: Table, data: ReportTable):  # type: ignore[no-untyped-def]
    """Table 2: each group of rows under its own header and its own columns."""
    width = max(len(g.columns) for g in table.groups)
    body = []
    for group in table.groups:
        span = width - len(group.columns) + 1
        body.append(
            BodyRow(
                "", (HeadCell(group.label, colspan=width + 1, scope="colgroup"),), (), "gk-group"
            )
        )
        col_heads = [HeadCell("信息内容")] + [
            HeadCell(_unit_label(c), colspan=span if i == len(group.columns) - 1 else 1)
            for i, c in enumerate(group.columns)
        ]
        body.append(BodyRow("", tuple(col_heads), (), "gk-colhead"))
        for row in group.rows:
            cells = tuple(
                cell_view(data.cell(row.code, c.code), f"{table.code}.{row.code}.{c.code}")
                for c in row.columns
            )
            body.append(BodyRow(row.code, (HeadCell(row.label, scope="row"),), cells, "", span))
    return (), tuple(body)


def _unit_label(col: Column) -> str:
    """Column label, with the unit when it is not a count (本年收费金额（万元）)."""
    return f"{col.label}（{col.unit}）" if col.unit and col.unit not in ("件", "项") else col.label


def transposed(table: Table, data: ReportTable):  # type: ignore[no-untyped-def]
    """Table 4: rows turned into column groups over a single row of numbers."""
    rows = table.rows
    paths = [(*_path(r), r.label) for r in rows]
    depth = max(len(p) for p in paths)
    ncols = len(table.columns)
    head: list[list[HeadCell]] = [[] for _ in range(depth + 1)]
    for i, (row, path) in enumerate(zip(rows, paths, strict=True)):
        for level in range(len(path)):
            prefix = path[: level + 1]
            if i and paths[i - 1][: level + 1] == prefix:
                continue
            n = sum(1 for p in paths[i:] if p[: level + 1] == prefix)
            head[level].append(HeadCell(prefix[-1], colspan=n * ncols, scope="colgroup"))
        span = depth + 1 - len(path)
        for col in row.columns:
            head[len(path)].append(HeadCell(col.label, rowspan=span))
    cells = tuple(
        cell_view(data.cell(r.code, c.code), f"{table.code}.{r.code}.{c.code}")
        for r in rows
        for c in r.columns
    )
    return tuple(tuple(h) for h in head if h), (BodyRow("", (), cells),)
