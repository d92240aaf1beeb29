"""The application letter helper: ``agencies/<id>/apply/``.

The requester fills in the guide's form fields (or the contents 条例第二十九条
requires, when no guide is collected); ``letter.js`` turns them into a
printable application with the agency's address and the chosen channel's
notes, and into plain text to paste into the agency's online form. Everything
happens in the browser: there is no <form> to submit, no request, no storage.
"""

from __future__ import annotations

from ..model import Corpus
from ..pages import Page
from ..records import Agency
from . import guide_data
from .env import ASSETS, page_url, rel, render
from .guide_pages import apply_path, guide_path

LONG_FIELD = ("描述", "内容", "用途", "说明", "理由")
DESCRIPTION_FIELD = "所需政府信息的名称、文号或者便于查询的其他特征性描述"
LETTER_CHANNELS = ("post", "in_person", "online", "email", "fax")
BASIS = "《中华人民共和国政府信息公开条例》第二十七条、第二十九条"


def letter_fields(fields: list[str]) -> list[dict]:
    """Inputs of the form: one per field, long ones as text areas; a description always."""
    names = list(dict.fromkeys(f.strip() for f in fields if f.strip()))
    if not any("描述" in n or "内容" in n for n in names):
        names.append(DESCRIPTION_FIELD)
    return [
        {"id": f"gk-f{i}", "label": name, "long": any(w in name for w in LONG_FIELD)}
        for i, name in enumerate(names)
    ]


def recipient(agency: Agency, office: guide_data.ChannelView | None) -> str:
    office_name = dict(office.rows).get("受理机构", "") if office else ""
    if office_name and office_name != agency.name:
        return f"{agency.name}（{office_name}）" if agency.name not in office_name else office_name
    return agency.name


def channel_config(ch: guide_data.ChannelView) -> dict:
    rows = dict(ch.rows)
    return {
        "type": ch.type,
        "label": ch.label,
        "office": rows.get("受理机构", ""),
        "address": rows.get("地址", ""),
        "postcode": rows.get("邮政编码", ""),
        "phone": rows.get("电话", ""),
        "email": rows.get("电子邮箱", ""),
        "fax": rows.get("传真", ""),
        "url": ch.url,
        "notes": ch.notes,
        "source": guide_data.SOURCE_LABELS[ch.source],
    }


def letter_context(corpus: Corpus, agency_id: str) -> dict:
    agency = corpus.agencies[agency_id]
    guide = corpus.guides.get(agency_id)
    office = guide_data.office(agency, guide)
    fields = guide_data.form_fields(guide)
    usable = [ch for ch in guide_data.channels(agency, guide) if ch.type in LETTER_CHANNELS]
    usable.sort(key=lambda ch: LETTER_CHANNELS.index(ch.type))  # a printed letter is mostly posted
    channels = [channel_config(ch) for ch in usable]
    config = {
        "agency": agency.name,
        "recipient": recipient(agency, office),
        "basis": BASIS,
        "channels": channels,
    }
    return {
        "agency": agency,
        "guide": guide,
        "fields": letter_fields(fields.value),
        "fields_source": fields,
        "channels": channels,
        "config": config,
    }


def letter_page(corpus: Corpus, agency_id: str) -> Page:
    ctx = letter_context(corpus, agency_id)
    agency: Agency = ctx["agency"]
    path = apply_path(agency_id)
    url = page_url(path)
    links = {
        "guide": rel(url, page_url(guide_path(agency_id))),
        "css": rel(url, f"{ASSETS}/requester.css"),
        "js": rel(url, f"{ASSETS}/letter.js"),
    }
    body = render("letter.html.j2", **ctx, links=links)
    return Page(
        path=path,
        title=f"向{agency.name}申请政府信息公开：填写申请书",
        body=body,
        markup="html",
        edit_path=ctx["guide"].file if ctx["guide"] else agency.file,
        description=f"在浏览器中填写给{agency.name}的政府信息公开申请书，打印或复制文本；不上传任何内容。",
    )


def pages(corpus: Corpus) -> list[Page]:
    return [letter_page(corpus, a) for a in sorted(corpus.agencies)]
