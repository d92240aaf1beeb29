"""One synthetic report: its raw text (as if copied from the agency's site) and its YAML.

The raw text is written first, line by line, so that every section and every
table row of the YAML points at the real lines it came from, as an imported
report does.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from ..formats import Format, Table, all_formats
from ..load import schema_comment
from ..records import format_number
from . import tables
from .emit import Raw, block, flow, scalar
from .phrases import PhraseBank, paragraph
from .plan import AgencyPlan

RETRIEVED = dt.date(2026, 11, 1)
OVERVIEW_PARTS = (
    ("proactive", "（一）主动公开"),
    ("requests", "（二）依申请公开"),
    ("management", "（三）政府信息管理"),
    ("platform", "（四）平台建设"),
    ("supervision", "（五）监督保障"),
)
LEGACY_SECTIONS = (  # the contents the original regulations asked for (2008 条例第三十二条)
    ("management", "一、概述"),
    ("proactive", "二、主动公开政府信息情况"),
    ("requests", "三、依申请公开政府信息情况"),
    ("management", "四、政府信息公开的收费及减免情况"),
    ("supervision", "五、因政府信息公开申请行政复议、提起行政诉讼的情况"),
    ("problems", "六、存在的主要问题及改进措施"),
)
# The legacy section (index into LEGACY_SECTIONS) whose text states a figure; default 三.
FIGURE_SECTIONS = {
    "proactive_items": 1,
    "fees_collected": 3,
    "reconsiderations": 4,
    "litigation": 4,
}
CN_NUMBERS = "一二三四五六七八九十"
PART_CHARS, SECTION_CHARS, PREFACE_CHARS = 380, 450, 120
LATE_SHARE, UNDATED_SHARE, STATISTICS_SHARE = 0.05, 0.1, 0.4


def format_for(year: int) -> Format:
    """The newest format whose years include ``year``."""
    for fmt in all_formats():
        if fmt.year_from <= year and (fmt.year_to is None or year <= fmt.year_to):
            return fmt
    raise ValueError(f"no format covers {year}")


@dataclass
class Draft:
    """The raw text being written, and the YAML lines that point into it."""

    raw: list[str] = field(default_factory=list)
    yaml: list[str] = field(default_factory=list)

    def line(self, text: str) -> int:
        """Append one raw line; its 1-based number."""
        self.raw.append(text)
        return len(self.raw)

    def span(self, first: int) -> str:
        last = len(self.raw)
        return str(first) if first == last else f"{first}-{last}"


@dataclass
class Synth:
    """What one report is made from."""

    plan: AgencyPlan
    year: int
    bank: PhraseBank
    rng: random.Random
    fmt: Format
    draft: Draft = field(default_factory=Draft)

    @property
    def name(self) -> str:
        return self.plan.name_in(self.year)

    def para(self, topic: str, chars: int, lead: str = "") -> str:
        return paragraph(self.bank, self.rng, topic, chars, lead)


def _section(s: Synth, heading: str, code: str, paragraphs: list[str]) -> None:
    first = s.draft.line(heading)
    for p in paragraphs:
        s.draft.line(p)
    s.draft.yaml.append(f"  - heading: {scalar(heading)}")
    if code:
        s.draft.yaml.append(f"    code: {code}")
    s.draft.yaml.append(f"    lines: {s.draft.span(first)}")
    s.draft.yaml.append(f"    text: {block(chr(10).join(p + chr(10) for p in paragraphs), 6)}")


def _overview(s: Synth, new: int) -> list[str]:
    out = [s.para("management", PART_CHARS // 2, f"{s.year}年，{s.name}")]
    for topic, title in OVERVIEW_PARTS:
        lead = f"{title}。"
        if topic == "requests":
            lead += f"全年共收到政府信息公开申请{new}件，均在法定期限内予以答复。"
        out.append(s.para(topic, PART_CHARS, lead))
    return out


def _table(s: Synth, table: Table, values: tables.Values) -> None:
    s.draft.line(table.title)
    s.draft.yaml.append(f"{table.code}:")
    for row in table.rows:
        cells = values[row.code]
        printed = " | ".join(format_number(v) for v in cells.values())
        n = s.draft.line(f"{row.number}{row.label} | {printed} |")
        s.draft.yaml.append(f"  {row.code}: {flow({**cells, 'lines': n})}")


def _gov_body(s: Synth, carried_in: dict[str, int] | None) -> dict[str, int]:
    req_table = s.fmt.table("requests")
    req = tables.requests(req_table, s.rng, s.plan.scale, carried_in)
    texts = {
        "overview": _overview(s, tables.new_total(req_table, req)),
        "problems": [s.para("problems", SECTION_CHARS), s.para("problems", SECTION_CHARS // 2)],
        "other": [s.para("management", SECTION_CHARS // 2, "本年度未收取信息处理费。")],
    }
    s.draft.yaml.append("sections:")
    sections = [x for x in s.fmt.sections if x.kind == "narrative"]
    for sec in sections:
        _section(s, f"{sec.number}、{sec.heading}", sec.code, texts[sec.code])
    made = {
        "proactive": lambda t: tables.proactive(t, s.rng, s.plan.scale),
        "requests": lambda t: req,
        "appeals": lambda t: tables.appeals(t, s.rng, s.plan.scale),
    }
    for code, table in s.fmt.tables.items():
        _table(s, table, made[code](table))
    return tables.carried_forward(req_table, req)


def _figures(s: Synth) -> dict[str, int | Decimal]:
    out = {}
    for fig in s.fmt.figures:
        value = tables.cell(fig, s.rng, s.plan.scale / 3)
        out[fig.code] = Decimal(0) if fig.code == "fees_collected" else value
    out["applications_answered"] = out.get("applications_received", 0)
    return out


def _legacy_body(s: Synth) -> None:
    figures = _figures(s)
    labels = {f.code: f for f in s.fmt.figures}
    s.draft.yaml.append("sections:")
    stated: dict[str, int] = {}
    for i, (topic, heading) in enumerate(LEGACY_SECTIONS):
        codes = [c for c in figures if FIGURE_SECTIONS.get(c, 2) == i]
        said = "".join(
            f"{labels[c].label}{format_number(figures[c])}{labels[c].unit}。" for c in codes
        )
        _section(s, heading, "", [s.para(topic, SECTION_CHARS)] + ([said] if said else []))
        stated.update((c, len(s.draft.raw)) for c in codes)
    s.draft.yaml.append("figures:")
    for code, value in figures.items():
        extra = {"lines": stated[code]} if code in stated else {}
        s.draft.yaml.append(f"  {code}: {flow({'value': value, **extra})}")
    if s.year > 2009 and s.rng.random() < STATISTICS_SHARE:
        _statistics(s, figures)


def _statistics(s: Synth, figures: dict[str, int | Decimal]) -> None:
    title = f"{s.year}年度政府信息公开工作情况统计表"
    s.draft.line(title)
    s.draft.yaml += ["statistics:", f"  title: {scalar(title)}", "  rows:"]
    for i, fig in enumerate(s.fmt.figures):
        indicator = f"（{CN_NUMBERS[i]}）{fig.label}"
        n = s.draft.line(f"{indicator} | {fig.unit} | {format_number(figures[fig.code])} |")
        row = {"indicator": indicator, "unit": fig.unit, "value": figures[fig.code], "lines": n}
        s.draft.yaml.append(f"    - {flow(row)}")


def _published(s: Synth) -> dt.date | None:
    roll = s.rng.random()
    if roll < UNDATED_SHARE:
        return None
    if roll < UNDATED_SHARE + LATE_SHARE:
        return dt.date(s.year + 1, s.rng.randint(2, 6), s.rng.randint(1, 28))
    return dt.date(s.year + 1, 1, s.rng.randint(5, 31))


def _head(s: Synth, title: str, raw_path: str) -> list[str]:
    p = s.plan
    out = [
        schema_comment("reports", 2),
        f"agency: {p.id}",
        f"year: {s.year}",
        f"format: {s.fmt.code}",
        f"title: {scalar(title)}",
    ]
    if (published := _published(s)) is not None:
        out.append(f"published: {published}")
    if s.name != p.name:
        out.append(f"filed_as: {scalar(s.name)}")
    url = f"http://wsjk{p.place.code}.gov.cn/xxgk/ndbg/{s.year}.html"
    source = {"raw": raw_path, "lines": Raw(f"1-{len(s.draft.raw)}"), "url": url}
    if s.rng.random() < 0.5:
        source["file_name"] = f"{title}.pdf"
    source["retrieved"] = Raw(str(RETRIEVED))
    out.append(f"source: {flow(source)}")
    if s.fmt.code != "legacy":
        out.append(f"period: {{start: {s.year}-01-01, end: {s.year}-12-31}}")
    return out


def compose(
    plan: AgencyPlan,
    year: int,
    bank: PhraseBank,
    seed: str,
    raw_path: str,
    carried_in: dict[str, int] | None,
) -> tuple[str, str, dict[str, int] | None]:
    """(report YAML, raw text, what the report carries into next year)."""
    rng = random.Random(f"{seed}:report:{plan.id}:{year}")
    s = Synth(plan, year, bank, rng, format_for(year))
    title = f"{s.name}{year}年政府信息公开工作年度报告"
    s.draft.line(title)
    preface = _preface(s)
    s.draft.line(preface)
    carried_out = None
    if s.fmt.code == "legacy":
        _legacy_body(s)
    else:
        carried_out = _gov_body(s, carried_in)
    head = _head(s, title, raw_path)
    head.append(f"preface: {block(preface, 2)}")
    yaml_text = "\n".join([*head, *s.draft.yaml]) + "\n"
    return yaml_text, "\n".join(s.draft.raw) + "\n", carried_out


def _preface(s: Synth) -> str:
    lead = (
        f"本报告根据《中华人民共和国政府信息公开条例》要求，由{s.name}编制。"
        f"本报告所列数据的统计期限自{s.year}年1月1日起至{s.year}年12月31日止。"
    )
    return s.para("management", PREFACE_CHARS + len(lead), lead)
