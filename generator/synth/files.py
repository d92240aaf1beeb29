"""Agency and guide files of a synthetic corpus (reports are in ``report.py``)."""

from __future__ import annotations

import random

from ..load import schema_comment
from .emit import Raw, flow, scalar, text_scalar
from .plan import AgencyPlan

HOURS = (
    {"season": "5月1日至9月30日", "text": Raw(text_scalar("8:30-12:00 14:30-18:00"))},
    {"season": "10月1日至次年4月30日", "text": Raw(text_scalar("8:30-12:00 14:00-17:30"))},
)


def _phone(plan: AgencyPlan) -> str:
    rng = random.Random(f"phone:{plan.id}")
    return f"0{plan.place.code[:3]}-{rng.randint(2_000_000, 8_999_999)}"


def _postcode(plan: AgencyPlan) -> str:
    return f"{plan.place.code[:3]}{plan.place.code[4:6] or '00'}0"[:6]


def _address(plan: AgencyPlan) -> str:
    rng = random.Random(f"address:{plan.id}")
    road = rng.choice(("人民路", "建设路", "解放路", "中山路", "文化路", "健康路"))
    return f"{plan.place.name}{road}{rng.randint(1, 300)}号"


def agency_yaml(plan: AgencyPlan) -> str:
    """The agency file."""
    place = plan.place
    lines = [
        schema_comment("agencies", 1),
        f"id: {plan.id}",
        f"name: {scalar(plan.name)}",
        f"short_name: {scalar(plan.short_name)}",
        f"level: {place.level}",
        f"division_code: {text_scalar(place.code)}",
        f"province: {scalar(place.province)}",
    ]
    lines += [f"{k}: {scalar(v)}" for k, v in (("city", place.city), ("county", place.county)) if v]
    lines += ["sector: health", f"website: http://wsjk{place.code}.gov.cn/"]
    contact = {
        "address": _address(plan),
        "postcode": Raw(text_scalar(_postcode(plan))),
        "phone": Raw(text_scalar(_phone(plan))),
    }
    lines.append(f"contact: {flow(contact)}")
    if plan.dissolved:
        lines.append(f"dissolved: {plan.dissolved}")
    if plan.lineage:
        lines.append("lineage:")
    for step in plan.lineage:
        entry = {"name": step.name, "relation": step.relation}
        if step.from_year:
            entry["from"] = step.from_year
        entry["to"] = step.to_year
        if step.agency:
            entry["agency"] = step.agency
        lines.append(f"  - {flow(entry)}")
    return "\n".join(lines) + "\n"


def guide_yaml(plan: AgencyPlan) -> str:
    """A disclosure guide that states the statutory limits (it agrees with current law)."""
    office = f"{plan.name}办公室"
    address, phone = _address(plan), Raw(text_scalar(_phone(plan)))
    postcode = Raw(text_scalar(_postcode(plan)))
    court = f"{plan.place.name}人民法院"
    lines = [
        schema_comment("guides", 1),
        f"agency: {plan.id}",
        f"title: {scalar(plan.name + '政府信息公开指南')}",
        f"office: {flow({'type': 'in_person', 'office': office, 'address': address, 'phone': phone})}",
        "channels:",
        "  - type: in_person",
        f"    office: {scalar(office)}",
        f"    address: {scalar(address)}",
        f"    phone: {phone}",
        "    hours:",
        *(f"      - {flow(h)}" for h in HOURS),
        "  - " + flow({"type": "post", "address": address, "postcode": postcode}),
        "time_limits:",
        "  proactive: {days: 20, unit: working_days}",
        "  answer: {days: 20, unit: working_days}",
        "  extension: {days: 20, unit: working_days}",
        "not_counted: [征求第三方和其他机关意见所需时间]",
        "fees: 依照国办函〔2020〕109号执行，申请人申请公开政府信息的，一般不收费。",
        "remedies:",
        f"  - {flow({'type': 'reconsideration', 'body': plan.place.name + '人民政府', 'period': {'days': 60, 'unit': 'days'}})}",
        f"  - {flow({'type': 'litigation', 'body': court, 'period': {'days': 6, 'unit': 'months'}})}",
        "proactive_scope: [机构职能, 政策文件, 规划计划, 行政执法信息, 公共卫生]",
        "not_disclosed: [依法确定为国家秘密的政府信息, 公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息]",
    ]
    return "\n".join(lines) + "\n"
