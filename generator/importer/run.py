"""Import one raw file: split it, read each document, write drafts, summarise."""

from __future__ import annotations

import importlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .. import yamlsafe
from ..fsutil import write_atomic
from ..paths import CONTENT
from .agencies import load_agencies, stub
from .detect import detect_format
from .report import Context, Draft, build_report
from .split import split_documents
from .text import Line, norm, read_lines
from .writer import agency_yaml, report_yaml

GUIDE_WORDS = (
    "申请接收渠道",
    "监督和救济",
    "政府信息公开工作机构",
    "申请表",
    "办公时间",
    "公开指南",
)
REPORT_WORDS = ("报告", "政府信息公开条例")


@dataclass
class ImportResult:
    """Everything one import did: the drafts, the noise, the files written or kept."""

    raw: str
    drafts: list[Draft] = field(default_factory=list)
    noise: list[Line] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    problems: int = 0


def doc_kind(doc: list[Line]) -> str:
    """``report``, ``guide`` or ``fragment`` (text that is neither)."""
    text = norm("".join(ln.text for ln in doc))
    head = norm("".join(ln.text for ln in doc[:3]))
    if sum(w in text for w in GUIDE_WORDS) >= 3 and "年度报告" not in head:
        return "guide"
    if detect_format(doc)[0] != "legacy" or all(w in text for w in REPORT_WORDS):
        return "report"
    return "fragment"


def _raw_path(path: Path, root: Path) -> str:
    """Where the raw text is kept: its path under content/raw/, or where it will be copied."""
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = ""
    return rel if rel.startswith(f"{CONTENT}/raw/") else f"{CONTENT}/raw/imported/{path.name}"


def _sidecar_fragments(path: Path) -> list[tuple[int, int, str]]:
    meta = path.with_suffix(".meta.yaml")
    if not meta.exists():
        return []
    node, _ = yamlsafe.read(meta.read_bytes(), meta.name)
    frags = node.items.get("fragments") if isinstance(node, yamlsafe.Mapping) else None
    out = []
    for item in getattr(frags, "items", []) or []:
        if isinstance(item, yamlsafe.Mapping) and "lines" in item.items:
            a, _, b = item.items["lines"].value.partition("-")
            desc = getattr(item.items.get("description"), "value", "")
            out.append((int(a), int(b or a), desc))
    return out


def _other(doc: list[Line], kind: str, fragments) -> Draft:
    draft = Draft(kind, doc[0].no, doc[-1].no, raw_lines={ln.no: ln.text for ln in doc})
    if kind == "guide":
        try:
            guide = importlib.import_module("generator.importer.guide")
            data, unplaced = guide.parse_guide([ln.text for ln in doc], doc[0].no)
            draft.data = {"title": data.get("title", "")} if isinstance(data, dict) else {}
            missing = set(unplaced)
            for ln in doc:
                if not ln.blank:
                    if ln.no in missing:
                        draft.unplaced.append((ln.no, "指南：未能归入字段"))
                    else:
                        draft.placed[ln.no] = "guide"
            draft.warnings.append("指南由指南导入器读取；本命令不写指南文件")
            return draft
        except ImportError:
            pass
    reason = (
        "指南（尚无指南导入器）" if kind == "guide" else "片段：不是完整的报告，保留在原始文本中"
    )
    for a, b, desc in fragments:
        if a <= doc[0].no and doc[-1].no <= b:
            reason = f"片段：{desc}"
    draft.data = {"description": reason}
    draft.unplaced = [(ln.no, reason) for ln in doc if not ln.blank]
    return draft


def import_file(
    path: Path,
    root: Path,
    agency: str | None = None,
    year: int | None = None,
    out: Path | None = None,
    force: bool = False,
) -> ImportResult:
    """Import ``path``; write drafts under ``out`` (default: ``root/content``)."""
    content = root / CONTENT
    result = ImportResult(_raw_path(path, root))
    split = split_documents(read_lines(path))
    result.noise = split.noise
    reports = [d for d in split.documents if doc_kind(d) == "report"]
    single = len(reports) == 1
    ctx = Context(result.raw, load_agencies(content), agency, year if single else None)
    ctx.force_agency = bool(agency) and single
    fragments = _sidecar_fragments(path)
    for doc in split.documents:
        kind = doc_kind(doc)
        draft = build_report(doc, ctx) if kind == "report" else _other(doc, kind, fragments)
        result.drafts.append(draft)
    _write(result, ctx, out or content, force, path, root)
    return result


def _write(result: ImportResult, ctx: Context, out: Path, force: bool, path: Path, root: Path):
    seen: set[tuple[str, int]] = set()
    for draft in result.drafts:
        if draft.kind != "report":
            continue
        if draft.unplaced:
            result.problems += 1
        if not draft.agency or not draft.year:
            result.problems += 1
            result.written.append(
                f"not written: lines {draft.start}-{draft.end} (agency/year unknown)"
            )
            continue
        key = (draft.agency, draft.year)
        if key in seen:
            result.problems += 1
            draft.warnings.append(f"同一文件中 {draft.agency} {draft.year} 已有一份报告：未写出")
            continue
        seen.add(key)
        target = out / "reports" / draft.agency / f"{draft.year}.yaml"
        done = write_atomic(target, report_yaml(draft.data), force)
        result.written.append(("wrote " if done else "exists, kept (use --force): ") + str(target))
        if draft.agency not in ctx.agencies.current:
            agency_file = out / "agencies" / f"{draft.agency}.yaml"
            if write_atomic(agency_file, agency_yaml(stub(draft.agency, draft.agency_name))):
                result.written.append(f"wrote agency stub {agency_file}")
    if result.raw.startswith(f"{CONTENT}/raw/imported/") and out == root / CONTENT:
        target = root / result.raw
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            result.written.append(f"copied raw text to {target}")
