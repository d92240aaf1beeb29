"""Synthetic agencies: provinces, cities and counties with GB/T 2260-shaped codes.

The 31 provincial-level divisions are real (name and two-digit code); city
and county names are made from common place-name characters, so a synthetic
agency can never be mistaken for a real one (the codes are shaped like real
codes, the names are not real places). The agency sequence is a pure function
of the seed and an index, so a corpus of any size is streamed without keeping
the agencies in memory.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

PROVINCES = (
    ("11", "北京市"),
    ("12", "天津市"),
    ("13", "河北省"),
    ("14", "山西省"),
    ("15", "内蒙古自治区"),
    ("21", "辽宁省"),
    ("22", "吉林省"),
    ("23", "黑龙江省"),
    ("31", "上海市"),
    ("32", "江苏省"),
    ("33", "浙江省"),
    ("34", "安徽省"),
    ("35", "福建省"),
    ("36", "江西省"),
    ("37", "山东省"),
    ("41", "河南省"),
    ("42", "湖北省"),
    ("43", "湖南省"),
    ("44", "广东省"),
    ("45", "广西壮族自治区"),
    ("46", "海南省"),
    ("50", "重庆市"),
    ("51", "四川省"),
    ("52", "贵州省"),
    ("53", "云南省"),
    ("54", "西藏自治区"),
    ("61", "陕西省"),
    ("62", "甘肃省"),
    ("63", "青海省"),
    ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
)
# Characters common in Chinese place names; two of them make a name.
NAME_CHARS = (
    "安平阳山河宁东西南北江源泉城德兴华丰长清水新和临泰昌永乐宜福庆州明定"
    "武文成康宝金石林桥湖溪岭峰川海阜浦沙田丘台龙凤鹤云松柏梅兰青白黄红"
    "崇广盛隆吉祥瑞嘉靖远通达济汉建开化封怀仁义信善"
)
COUNTIES_PER_CITY = 8  # a city agency is followed by this many county agencies
DISTRICT_SHARE = 0.3  # share of county-level divisions that are 区 rather than 县


@dataclass(frozen=True)
class Place:
    """An administrative division: its code, level and names from the province down."""

    code: str  # six digits
    level: str  # province | city | county
    province: str
    city: str = ""
    county: str = ""

    @property
    def name(self) -> str:
        """The name an agency of this division carries in front of its own."""
        return (self.county and f"{self.city}{self.county}") or self.city or self.province

    @property
    def short(self) -> str:
        """The division's own name (市/县/区 included)."""
        return self.county or self.city or self.province


def _name(seed: str, code: str, suffix: str) -> str:
    rng = random.Random(f"{seed}:place:{code}")
    return "".join(rng.choice(NAME_CHARS) for _ in range(2)) + suffix


def _local(province_no: int, j: int) -> int:
    """Position in the province's own sequence: province at 2, then cities and counties.

    The first three positions are rotated by province, so that even a small
    corpus (one agency per province) holds every level.
    """
    if j < 3:
        j = (j + province_no) % 3
    return {0: 1, 1: 2, 2: 0}.get(j, j)


def place(seed: str, index: int) -> Place:
    """The ``index``-th division: provinces round-robin, each with its cities and counties."""
    province_no = index % len(PROVINCES)
    code2, province = PROVINCES[province_no]
    j = _local(province_no, index // len(PROVINCES))
    if j == 0:
        return Place(f"{code2}0000", "province", province)
    city_no, pos = divmod(j - 1, COUNTIES_PER_CITY + 1)
    city_code = f"{code2}{city_no + 1:02d}00"
    city = _name(seed, city_code, "市")
    if pos == 0:
        return Place(city_code, "city", province, city)
    county_code = f"{city_code[:4]}{pos + 1:02d}"
    rng = random.Random(f"{seed}:kind:{county_code}")
    suffix = "区" if rng.random() < DISTRICT_SHARE else "县"
    return Place(county_code, "county", province, city, _name(seed, county_code, suffix))


def places(seed: str) -> Iterator[Place]:
    """Every division in sequence (endless)."""
    index = 0
    while True:
        yield place(seed, index)
        index += 1
