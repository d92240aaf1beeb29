"""Which agency a document belongs to: names, short names, aliases and former names.

Read from ``content/agencies``; a report filed under a former name (lineage)
belongs to the current agency and records ``filed_as``; a predecessor with
its own file (``lineage.agency``) is its own agency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..load import load_file

PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省",
    "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省",
    "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省",
    "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
}  # fmt: skip


@dataclass
class AgencyIndex:
    """Every known name -> (agency id, the name to record as ``filed_as`` or "")."""

    names: dict[str, tuple[str, str]] = field(default_factory=dict)
    current: dict[str, str] = field(default_factory=dict)  # id -> current name

    def find(self, text: str) -> tuple[str, str] | None:
        """The agency named earliest in ``text`` (the longest name at that place)."""
        best: tuple[int, int, str] | None = None
        for name in self.names:
            at = text.find(name)
            if at >= 0 and (best is None or (at, -len(name)) < (best[0], -best[1])):
                best = (at, len(name), name)
        return self.names[best[2]] if best else None


def load_agencies(content: Path) -> AgencyIndex:
    """Index of the agency files under ``content/agencies``."""
    out = AgencyIndex()
    later: list[tuple[str, str, str]] = []
    for path in sorted((content / "agencies").glob("*.yaml")):
        _, agency, _ = load_file(path, content)
        if agency is None:
            continue
        out.current[agency.id] = agency.name
        for name in (agency.name, agency.short_name, *agency.aliases):
            if name:
                out.names[name] = (agency.id, "")
        for entry in agency.lineage:
            later.append(
                (entry.name, entry.agency or agency.id, "" if entry.agency else entry.name)
            )
    for name, agency_id, filed_as in later:
        out.names.setdefault(name, (agency_id, filed_as))
    return out


def stub(agency_id: str, name: str) -> dict:
    """A draft agency file for an agency not yet in content/ (to be finished by hand)."""
    code = agency_id.split("-", 1)[0]
    level = "province" if code[2:] == "0000" else "city" if code[4:] == "00" else "county"
    return {
        "id": agency_id,
        "name": name or "（待填：机构全称）",
        "level": level,
        "division_code": code,
        "province": PROVINCES.get(code[:2], "（待填）"),
        "sector": "health",
        "notes": "导入时自动生成的草稿：请核对名称、层级、地区与沿革。",
    }
