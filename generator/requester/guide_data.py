"""The facts of a guide page, each marked with where it comes from.

``source`` of every value: ``own`` (本机关指南, the agency's collected guide),
``law`` (法定默认, the statutory default, with its article) or ``agency``
(机构资料, contact data from the agency file when no guide says more).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import law
from ..records import Agency, Channel, Guide, Remedy
from . import defaults

SOURCE_LABELS = {"own": "本机关指南", "law": "法定默认", "agency": "机构资料"}
CHANNEL_LABELS = {
    "in_person": "当面提交",
    "post": "信函（邮寄）",
    "online": "网上申请",
    "fax": "传真",
    "email": "电子邮件",
    "phone": "电话",
    "website": "机关网站",
}
REMEDY_LABELS = {
    "correction": "更正申请",
    "reconsideration": "行政复议",
    "litigation": "行政诉讼",
    "complaint": "投诉、举报",
}
REMEDY_ORDER = tuple(REMEDY_LABELS)


@dataclass(frozen=True)
class Sourced:
    """A value with where it comes from and the article it rests on."""

    value: object
    source: str  # own | law | agency
    basis: str = ""

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self.source]


@dataclass
class ChannelView:
    type: str
    label: str
    source: str
    rows: list[tuple[str, str]] = field(default_factory=list)  # (heading, text)
    hours: list[tuple[str, str]] = field(default_factory=list)  # (season, text)
    url: str = ""
    notes: str = ""


def channel_view(ch: Channel, source: str = "own") -> ChannelView:
    rows = [
        (k, v)
        for k, v in (
            ("受理机构", ch.office),
            ("地址", ch.address),
            ("邮政编码", ch.postcode),
            ("电话", ch.phone),
            ("传真", ch.fax),
            ("电子邮箱", ch.email),
        )
        if v
    ]
    hours = [(h.season or "办公时间", h.text) for h in ch.hours]
    label = CHANNEL_LABELS.get(ch.type, ch.type)
    return ChannelView(ch.type, label, source, rows, hours, ch.url, ch.notes)


def agency_channels(agency: Agency) -> list[ChannelView]:
    """Channels the agency file allows when no guide is collected (marked 机构资料)."""
    c = agency.contact
    out = []
    if c.address:
        for kind in ("in_person", "post"):
            out.append(
                channel_view(
                    Channel(kind, agency.name, c.address, c.postcode, phone=c.phone), "agency"
                )
            )
    if c.fax:
        out.append(channel_view(Channel("fax", fax=c.fax), "agency"))
    if c.email:
        out.append(channel_view(Channel("email", email=c.email), "agency"))
    if agency.website:
        out.append(channel_view(Channel("website", url=agency.website), "agency"))
    return out


def channels(agency: Agency, guide: Guide | None) -> list[ChannelView]:
    if guide and guide.channels:
        return [channel_view(ch) for ch in guide.channels]
    return agency_channels(agency)


def office(agency: Agency, guide: Guide | None) -> ChannelView | None:
    """The disclosure office (政府信息公开工作机构), if the guide names one."""
    return channel_view(guide.office) if guide and guide.office else None


def flags(guide: Guide | None) -> dict[str, str]:
    """Field path -> message, for every value of the guide that differs from current law."""
    return {d.path: d.message for d in law.check_guide(guide)} if guide else {}


def time_limits(guide: Guide | None) -> list[dict]:
    """Proactive, answer, extension and what is not counted: own where stated, else the law's."""
    flagged = flags(guide)
    out = []
    for key, (limit, own) in law.effective_time_limits(guide).items():
        rule = law.TIME_LIMITS[key]
        out.append(
            {
                "key": key,
                "label": law.KEY_NAMES[key],
                "period": law.describe(limit.days, limit.unit),
                "text": limit.text if own else rule.summary,
                "value": Sourced(limit, "own" if own else "law", rule.citation),
                "flag": flagged.get(f"time_limits.{key}.days", ""),
            }
        )
    stated = bool(guide and guide.not_counted)
    out.append(
        {
            "key": "not_counted",
            "label": "不计入期限的时间",
            "period": "",
            "text": "；".join(guide.not_counted if stated else law.NOT_COUNTED_DEFAULT),
            "value": Sourced(None, "own" if stated else "law", law.NOT_COUNTED.citation),
            "flag": "",
        }
    )
    return out


def _period_rows(remedy_type: str, period, flag: str) -> list[dict]:
    """The statutory periods of a remedy; the guide's own period where it states one."""
    rules = law.REMEDY_PERIODS.get(remedy_type, ())
    out = []
    for i, rule in enumerate(rules):
        if i == 0 and period is not None and period.days is not None:
            text = law.describe(period.days, period.unit)
            out.append({"text": text, "value": Sourced(period, "own", rule.citation), "flag": flag})
        else:
            out.append(
                {
                    "text": f"{rule.period}：{rule.summary}",
                    "value": Sourced(rule, "law", rule.citation),
                    "flag": "",
                }
            )
    return out


def own_remedy(remedy: Remedy, index: int, flagged: dict[str, str]) -> dict:
    rows = [
        (k, v)
        for k, v in (
            ("地址", remedy.address),
            ("邮政编码", remedy.postcode),
            ("电话", remedy.phone),
        )
        if v
    ]
    flag = flagged.get(f"remedies[{index}].period.days", "")
    return {
        "type": remedy.type,
        "label": REMEDY_LABELS.get(remedy.type, remedy.type),
        "body": Sourced(remedy.body, "own") if remedy.body else None,
        "rows": rows,
        "hours": [(h.season or "办公时间", h.text) for h in remedy.hours],
        "periods": _period_rows(remedy.type, remedy.period, flag),
        "notes": remedy.notes,
        "source": "own",
    }


def default_remedy(kind: str, agency: Agency) -> dict:
    body, basis, text = None, "", ""
    if kind == "correction":
        body, basis, text = (
            Sourced(agency.name, "law", defaults.CORRECTION_BASIS),
            "",
            defaults.CORRECTION,
        )
    elif kind == "reconsideration":
        name, basis = defaults.reconsideration_body(agency)
        body, text = Sourced(name, "law", basis), defaults.REFUSAL_FIRST
        basis = defaults.REFUSAL_FIRST_BASIS
    elif kind == "litigation":
        body = Sourced(defaults.COURT, "law", law.LITIGATION.citation)
    else:
        body = Sourced(
            "上一级行政机关或者政府信息公开工作主管部门", "law", defaults.COMPLAINT_BASIS
        )
        text = defaults.COMPLAINT
    return {
        "type": kind,
        "label": REMEDY_LABELS[kind],
        "body": body,
        "rows": [],
        "hours": [],
        "periods": _period_rows(kind, None, ""),
        "notes": f"{text}（{basis}）" if text and basis else text,
        "source": "law",
    }


def remedies(agency: Agency, guide: Guide | None) -> list[dict]:
    """The guide's remedies, then the law's for every kind the guide does not name."""
    flagged = flags(guide)
    own = [own_remedy(r, i, flagged) for i, r in enumerate(guide.remedies)] if guide else []
    named = {r["type"] for r in own}
    missing = [default_remedy(k, agency) for k in REMEDY_ORDER if k not in named]
    out = own + missing
    return sorted(
        out, key=lambda r: REMEDY_ORDER.index(r["type"]) if r["type"] in REMEDY_ORDER else 99
    )


def listed(values: tuple[str, ...], fallback: tuple, basis: str) -> Sourced:
    """A list from the guide, else the law's (``fallback`` items may carry their own basis)."""
    if values:
        return Sourced(list(values), "own")
    return Sourced(list(fallback), "law", basis)


def form_fields(guide: Guide | None) -> Sourced:
    """Fields of the application form: the guide's form, else what 第二十九条 requires."""
    if guide and guide.form.fields:
        return Sourced(list(guide.form.fields), "own")
    return Sourced(list(defaults.FORM_FIELDS), "law", defaults.FORM_BASIS)


def fees(guide: Guide | None) -> Sourced:
    if guide and guide.fees:
        return Sourced(guide.fees, "own", defaults.FEES_BASIS)
    return Sourced(defaults.FEES, "law", defaults.FEES_BASIS)
