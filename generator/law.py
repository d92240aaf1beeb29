"""Statutory defaults for disclosure requests, as data: the one source of truth.

Used by the validator (guides that state other limits are flagged), the guide
pages (which values are the agency's own and which are the law's) and the
deadline calculator (:mod:`generator.workdays`).

* 《中华人民共和国政府信息公开条例》 (2019 revision, in force since 2019-05-15):
  proactive publication within 20 working days (第二十六条); answer within 20
  working days of receipt, extension of at most 20 more with the consent of the
  head of the disclosure office and notice to the applicant (第三十三条);
  time to consult third parties and other agencies not counted (第三十二条、第三十三条).
* 《中华人民共和国行政复议法》 第二十条: reconsideration within 60 days of learning
  of the act.
* 《中华人民共和国行政诉讼法》 第四十六条: litigation within 6 months; 第四十五条: within
  15 days of receiving a reconsideration decision.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .diagnostics import Diagnostic
from .records import Guide, TimeLimit

REGULATIONS = "《中华人民共和国政府信息公开条例》"
RECONSIDERATION_LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"
CHECK_ID = "guide_against_law"
UNIT_NAMES = {"working_days": "个工作日", "days": "日", "months": "个月"}


@dataclass(frozen=True)
class Rule:
    """A statutory period: its value, unit, the law and article, and what it says."""

    key: str
    days: int  # the number, in ``unit`` (the field is named like TimeLimit.days)
    unit: str  # working_days | days | months
    law: str
    article: str
    summary: str  # plain Chinese statement of the rule

    @property
    def citation(self) -> str:
        return f"{self.law}{self.article}"

    @property
    def period(self) -> str:
        return describe(self.days, self.unit)

    def time_limit(self) -> TimeLimit:
        """The rule as a :class:`TimeLimit`, for pages that show a default."""
        return TimeLimit(self.days, self.unit, f"{self.summary}（{self.citation}）")

    def matches(self, limit: TimeLimit) -> bool:
        return limit.days == self.days and limit.unit == self.unit


@dataclass(frozen=True)
class Outdated:
    """A rule that guides still state but the law no longer has."""

    key: str
    days: int
    unit: str
    source: str  # where the old rule came from
    note: str


PROACTIVE = Rule(
    "proactive",
    20,
    "working_days",
    REGULATIONS,
    "第二十六条",
    "属于主动公开范围的政府信息，应当自该政府信息形成或者变更之日起20个工作日内及时公开",
)
ANSWER = Rule(
    "answer",
    20,
    "working_days",
    REGULATIONS,
    "第三十三条",
    "行政机关不能当场答复的，应当自收到申请之日起20个工作日内予以答复",
)
EXTENSION = Rule(
    "extension",
    20,
    "working_days",
    REGULATIONS,
    "第三十三条",
    "需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，"
    "延长的期限最长不得超过20个工作日",
)
NOT_COUNTED = Rule(
    "not_counted",
    0,
    "working_days",
    REGULATIONS,
    "第三十二条、第三十三条",
    "行政机关征求第三方和其他机关意见所需时间不计算在答复期限内",
)
RECONSIDERATION = Rule(
    "reconsideration",
    60,
    "days",
    RECONSIDERATION_LAW,
    "第二十条",
    "自知道或者应当知道该行政行为之日起六十日内提出行政复议申请",
)
LITIGATION = Rule(
    "litigation",
    6,
    "months",
    LITIGATION_LAW,
    "第四十六条",
    "直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起六个月内提出",
)
LITIGATION_AFTER_RECONSIDERATION = Rule(
    "litigation_after_reconsideration",
    15,
    "days",
    LITIGATION_LAW,
    "第四十五条",
    "不服复议决定的，可以在收到复议决定书之日起十五日内向人民法院提起诉讼",
)

TIME_LIMITS: dict[str, Rule] = {r.key: r for r in (PROACTIVE, ANSWER, EXTENSION)}
REMEDY_PERIODS: dict[str, tuple[Rule, ...]] = {
    "reconsideration": (RECONSIDERATION,),
    "litigation": (LITIGATION, LITIGATION_AFTER_RECONSIDERATION),
}
NOT_COUNTED_DEFAULT = ("征求第三方和其他机关意见所需时间",)

OUTDATED: tuple[Outdated, ...] = (
    Outdated(
        "answer",
        15,
        "working_days",
        "2008年施行的原《条例》第二十四条",
        "2019年修订后的《条例》已改为20个工作日",
    ),
    Outdated(
        "extension",
        15,
        "working_days",
        "2008年施行的原《条例》第二十四条",
        "2019年修订后的《条例》已改为最长20个工作日",
    ),
    Outdated(
        "litigation",
        3,
        "months",
        "2015年5月1日前施行的原《行政诉讼法》第三十九条",
        "现行《行政诉讼法》已改为六个月",
    ),
)

KEY_NAMES = {
    "proactive": "主动公开期限",
    "answer": "答复期限",
    "extension": "延长答复期限",
    "reconsideration": "申请行政复议的期限",
    "litigation": "提起行政诉讼的期限",
}


def describe(days: int | None, unit: str) -> str:
    """``20个工作日``, ``60日``, ``6个月``; empty when no number is stated."""
    if days is None:
        return ""
    return f"{days}{UNIT_NAMES.get(unit, unit)}"


def outdated_rule(key: str, limit: TimeLimit) -> Outdated | None:
    """The known outdated rule that ``limit`` states, if any."""
    for old in OUTDATED:
        if old.key == key and old.days == limit.days and old.unit == limit.unit:
            return old
    return None


def effective_time_limits(guide: Guide | None) -> dict[str, tuple[TimeLimit, bool]]:
    """Each time limit a page shows: (value, True if the guide states it, False if the law's)."""
    stated = guide.time_limits if guide else {}
    out: dict[str, tuple[TimeLimit, bool]] = {}
    for key, rule in TIME_LIMITS.items():
        own = stated.get(key)
        out[key] = (own, True) if own and own.days is not None else (rule.time_limit(), False)
    return out


def _message(what: str, limit: TimeLimit, rules: tuple[Rule, ...], key: str) -> str:
    law_says = "；或".join(f"{r.citation}规定{r.summary}" for r in rules)
    msg = f"指南写的{what}是{describe(limit.days, limit.unit)}，与现行法律不符：{law_says}。"
    old = outdated_rule(key, limit)
    if old:
        msg += f"{describe(old.days, old.unit)}是{old.source}的旧规定，{old.note}。"
    return msg + "请核对原文：原文如此则保留（网站会标出），录入有误则改正。"


def _diagnostic(guide: Guide, path: str, message: str) -> Diagnostic:
    return Diagnostic(guide.file, guide.line_of(path), path, CHECK_ID, "warning", message)


def _check_time_limits(guide: Guide) -> Iterator[Diagnostic]:
    for key, limit in guide.time_limits.items():
        rule = TIME_LIMITS.get(key)
        if rule is None or limit is None or limit.days is None or rule.matches(limit):
            continue
        msg = _message(KEY_NAMES[key], limit, (rule,), key)
        yield _diagnostic(guide, f"time_limits.{key}.days", msg)


def _check_remedies(guide: Guide) -> Iterator[Diagnostic]:
    for i, remedy in enumerate(guide.remedies):
        rules = REMEDY_PERIODS.get(remedy.type)
        period = remedy.period
        if not rules or period is None or period.days is None:
            continue
        if any(rule.matches(period) for rule in rules):
            continue
        msg = _message(KEY_NAMES[remedy.type], period, rules, remedy.type)
        yield _diagnostic(guide, f"remedies[{i}].period.days", msg)


def check_guide(guide: Guide) -> list[Diagnostic]:
    """SPEC §4 "Guides against the law": stated time limits and remedy periods that differ.

    A guide that states nothing is not flagged: the law's values apply and the
    page marks them as the law's.
    """
    return [*_check_time_limits(guide), *_check_remedies(guide)]
