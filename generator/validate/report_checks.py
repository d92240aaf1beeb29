"""Checks of one report at a time: the table arithmetic, year, narrative, timeliness.

``LOCAL_CHECKS`` look at the report alone, so the loader runs them where it
reads the file (in its worker processes) and keeps their diagnostics in the
load cache beside the record (``local_results``), together with the digests of
the report's long sentences for the copied-text check. ``CONTEXT_CHECKS`` also
need the agency or another file, so they run in ``validate`` every time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ..diagnostics import Diagnostic
from ..formats import Table, get_format
from ..formats.arithmetic import Mismatch, evaluate
from ..records import Agency, Report, ReportTable, format_number, line_in_text

_YEAR = re.compile(r"(20\d{2})\s*年")
_TITLE_YEAR = re.compile(r"(20\d{2})")
_OWN_REPORT = re.compile(r"(20\d{2})\s*年度?(?:政府信息公开|政务公开)[^。]{0,8}?(?:年度)?报告")
_APPLICATIONS = re.compile(
    r"(?:共|全年|累计)?(?:收到|受理|接收|接到)[^。；，,]{0,14}?申请(?:共)?\s*(\d+)\s*件"
)
# a match of _APPLICATIONS starts at most 2 characters before its verb: the scan starts there
_APPLICATION_VERB = re.compile("收到|受理|接收|接到")


def _diag(report: Report, path: str, check: str, severity: str, message: str) -> Diagnostic:
    return Diagnostic(report.file, report.line_of(path), path, check, severity, message)


def _label(table: Table, row: str, column: str) -> str:
    r = table.row(row)
    c = next((c for c in table.columns if c.code == column), None)
    return f"「{r.number}{r.label if r else row}」行「{c.label if c else column}」列"


def _mismatch_message(table: Table, m: Mismatch, path: str) -> str:
    expected, actual = format_number(m.expected), format_number(m.actual)
    how = (
        f"请对照原文核对；若原文确实如此，请在 source_issues 中登记 "
        f"(check: {m.check}, field: {path})，它会作为原文矛盾在网站上标出。"
    )
    if m.kind == "sum_columns":
        return (
            f"{_label(table, m.row, m.column)}是 {actual}，但各申请人类型之和是 {expected}。{how}"
        )
    if m.kind == "balance_rows":
        col = next(c.label for c in table.columns if c.code == m.column)
        return (
            f"勾稽关系不成立（{col}列）：「一」+「二」= {expected}，"
            f"而「三(七)总计」+「四」= {actual}。{how}"
        )
    return f"{_label(table, m.row, m.column)}是 {actual}，但各办理结果之和是 {expected}。{how}"


def check_tables(report: Report, **_) -> Iterator[Diagnostic]:
    """The arithmetic of each official table (sums, 勾稽关系)."""
    fmt = get_format(report.format)
    confirmed = {(i.check, i.field) for i in report.source_issues}
    for code, table in fmt.tables.items():
        rows = {k: v.cells for k, v in report.tables[code].rows.items()}
        for m in evaluate(table, rows):
            path = f"{code}.{m.row}.{m.column}"
            severity = "warning" if (m.check, path) in confirmed else "error"
            yield _diag(report, path, m.check, severity, _mismatch_message(table, m, path))


def check_missing_rows(report: Report, **_) -> Iterator[Diagnostic]:
    """A standard-format report should have every row of its tables."""
    if report.partial:
        return
    fmt = get_format(report.format)
    for code, table in fmt.tables.items():
        have = report.tables[code].rows
        missing = [r for r in table.rows if r.code not in have]
        if missing and len(missing) < len(table.rows):
            names = "、".join(f"{r.number}{r.label}" for r in missing[:5])
            yield _diag(
                report,
                code,
                "table_row_missing",
                "warning",
                f"{table.title}缺少 {len(missing)} 行：{names}。请对照原文补上"
                f"（原文空白的格子写 null）。",
            )
        elif missing:
            yield _diag(
                report,
                "format",
                "table_missing",
                "warning",
                f"没有「{table.title}」表。请对照原文补上；若原文没有此表，请在 notes 中说明。",
            )


def _text_years(report: Report) -> Counter:
    text = "\n".join([report.preface, *(s.text for s in report.sections)])
    return Counter(int(y) for y in _YEAR.findall(text))


def check_year(report: Report, **_) -> Iterator[Diagnostic]:
    """Title, statistical period and text should all name the report's year."""
    title_years = {int(y) for y in _TITLE_YEAR.findall(report.title)}
    if title_years and report.year not in title_years:
        yield _diag(
            report,
            "title",
            "year_title",
            "warning",
            f"标题写的是 {'、'.join(map(str, sorted(title_years)))} 年，文件年度是 "
            f"{report.year}。请确认 year 是报告统计的年度。",
        )
    if report.period and {report.period.start.year, report.period.end.year} != {report.year}:
        yield _diag(
            report,
            "period",
            "year_period",
            "warning",
            f"统计期限 {report.period.start}—{report.period.end} 与年度 {report.year} 不符。",
        )
    own = {int(y) for y in _OWN_REPORT.findall(report.preface)} - {report.year}
    if own:
        yield _diag(
            report,
            "preface",
            "year_text",
            "warning",
            f"导语称这是 {'、'.join(map(str, sorted(own)))} 年的报告，但文件年度是 "
            f"{report.year}。保留原文，请核对是原文笔误还是年度填错。",
        )
    counts = _text_years(report)
    if counts:
        top, n = counts.most_common(1)[0]
        if top != report.year and n > 2 * counts.get(report.year, 0):
            yield _diag(
                report,
                "sections",
                "year_text",
                "warning",
                f"正文主要描述 {top} 年（提到 {n} 次），而报告年度是 {report.year}"
                f"（提到 {counts.get(report.year, 0)} 次）。请核对原文。",
            )


def check_published_after_year(report: Report, **_) -> Iterator[Diagnostic]:
    """A report on a year cannot be published before that year has ended."""
    if report.published and report.published.year <= report.year:
        yield _diag(
            report,
            "published",
            "year_published",
            "warning",
            f"发布日期 {report.published} 早于 {report.year} 年结束，不可能是 {report.year} 年度的报告："
            f"要么年度是 {report.published.year - 1}，要么日期有误。保留原文，请核对。",
        )


def check_narrative(report: Report, **_) -> Iterator[Diagnostic]:
    """Application counts stated in the text should agree with table 3."""
    new = report.tables.get("requests")
    cell = new.cell("new", "total") if new else None
    if cell is None or not cell.is_number:
        return
    for i, section in enumerate(report.sections):
        verb = _APPLICATION_VERB.search(section.text)
        if verb is None:
            continue
        for m in _APPLICATIONS.finditer(section.text, max(0, verb.start() - 2)):
            stated = int(m.group(1))
            carried = new.cell("carried_over", "total")
            allowed = {cell.value}
            if carried.is_number:
                allowed.add(cell.value + carried.value)
            if stated not in allowed:
                path = f"sections[{i}].text"
                line = line_in_text(report.lines, path, section.text, m.start())
                yield Diagnostic(
                    report.file,
                    line,
                    path,
                    "narrative_table",
                    "warning",
                    f"正文说「{m.group(0)}」，而表三「本年新收」总计为 "
                    f"{format_number(cell.value)}。请核对哪一处与原文不符。",
                )


def statutory_date(report: Report, agency: Agency | None) -> dt.date:
    """31 January of the next year; 31 March for a government's own report (条例第四十九、五十条)."""
    if agency is not None and agency.sector == "government":
        return dt.date(report.year + 1, 3, 31)
    return dt.date(report.year + 1, 1, 31)


def check_timeliness(report: Report, agencies: dict[str, Agency], **_) -> Iterator[Diagnostic]:
    """A report published after the statutory date is flagged."""
    if report.published is None:
        return
    due = statutory_date(report, agencies.get(report.agency))
    if report.published > due:
        yield _diag(
            report,
            "published",
            "late_report",
            "info",
            f"发布于 {report.published}，晚于法定期限 {due}（条例第四十九、五十条）。",
        )


def check_source(report: Report, root: Path, **_) -> Iterator[Diagnostic]:
    """The raw text a report names must exist, and its line range must be inside it."""
    raw = report.source.raw
    if not raw:
        yield _diag(
            report,
            "source",
            "source_missing",
            "info",
            "没有记录原始文本（source.raw）。请把原文存入 content/raw/ 并填写路径和行号。",
        )
        return
    path = root.parent / raw
    if not path.is_file():
        yield _diag(
            report,
            "source.raw",
            "source_raw_missing",
            "error",
            f"找不到原始文本 {raw}。请检查路径。",
        )
        return
    n = path.read_bytes().count(b"\n") + 1
    if report.source.lines and report.source.lines.end > n:
        yield _diag(
            report,
            "source.lines",
            "source_lines_range",
            "error",
            f"行号 {report.source.lines} 超出原始文本的 {n} 行。",
        )


LOCAL_CHECKS = (
    check_tables,
    check_missing_rows,
    check_year,
    check_published_after_year,
    check_narrative,
)
CONTEXT_CHECKS = (check_timeliness, check_source)  # need the agency, or the raw text file
REPORT_CHECKS = (*LOCAL_CHECKS, *CONTEXT_CHECKS)

SENTENCE = re.compile(
    r"[^。！？!?\n]{24,}[。！？!?]?"
)  # a long sentence, for the copied-text check
DIGEST_SIZE = 8


def sentence_digests(report: Report) -> bytes:
    """The distinct long sentences of the report's text, as sorted 8-byte digests, joined."""
    text = "\n".join([report.preface, *(s.text for s in report.sections)])
    blake2b = hashlib.blake2b
    found = {
        blake2b(s.strip().encode(), digest_size=DIGEST_SIZE).digest()
        for s in SENTENCE.findall(text)
    }
    return b"".join(sorted(found))


def local_results(report: Report) -> tuple[tuple[Diagnostic, ...], bytes]:
    """(diagnostics of ``LOCAL_CHECKS``, ``sentence_digests``): what depends on the report alone."""
    diagnostics = [d for check in LOCAL_CHECKS for d in check(report)]
    return tuple(diagnostics), sentence_digests(report)


LAYOUTS_MAX = 20_000  # distinct (format, field paths) layouts kept; reports have a few dozen
_KEPT: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}


def _kept_paths(fmt: str, carry: tuple[str, ...], paths: tuple[str, ...]) -> tuple[str, ...]:
    """The field paths of ``paths`` the context and corpus checks may look up, or their ancestors.

    Those are the top-level keys, ``source.*`` and the carried rows of ``requests``
    (``line_of`` falls back from a missing path to its nearest ancestor, so every
    ancestor is kept). Computed once per layout of paths: most reports share one.
    """
    key = (fmt, paths)
    kept = _KEPT.get(key)
    if kept is None:
        rows = tuple(f"requests.{row}" for row in carry)
        kept = tuple(
            p
            for p in paths
            if not ("." in p or "[" in p or "/" in p) or p.startswith(("source.", *rows))
        )
        if len(_KEPT) < LAYOUTS_MAX:
            _KEPT[key] = kept
    return kept


def for_checks(report: Report) -> Report:
    """The report with only what ``validate`` reads once ``local_results`` are made.

    That is: the context checks (``published``, ``source``, ``agency``,
    ``year``) and the corpus checks (``agency``, ``year``, ``format``, the
    carried rows of ``requests``, ``file``), and the line of any of their
    field paths (``_kept_paths``). Texts, figures, statistics and other
    tables are dropped. ``gongkai validate`` loads these: a record is then a
    twentieth of the bytes to pickle in a worker and to unpickle in the
    parent. The diagnostics are the same (tested).
    """
    tables = {}
    carry: tuple[str, ...] = ()
    requests = report.tables.get("requests")
    if requests is not None:
        table = get_format(report.format).table("requests")
        carry = table.carry if table is not None and table.carry else ()
        rows = {code: row for code, row in requests.rows.items() if code in carry}
        tables["requests"] = ReportTable(requests.code, rows)
    lines = report.lines
    lines = {p: lines[p] for p in _kept_paths(report.format, carry, tuple(lines))}
    return dataclasses.replace(
        report,
        lines=lines,
        tables=tables,
        preface="",
        sections=(),
        figures={},
        statistics_title="",
        statistics=(),
        notes="",
    )
