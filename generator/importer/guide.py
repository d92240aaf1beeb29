"""Disclosure guides (政府信息公开指南): raw text -> YAML-ready data for the GUIDE schema.

Guides follow one plan more or less closely: 主动公开 (scope, where, time limit),
依申请公开 (channels, what to enclose, fees, handling and time limits), 不予公开,
the disclosure office, 监督和救济, and an application form (附件, often a pipe
table). Headings are numbered 一、 / (一) / 1. / (1) in full- or half-width
punctuation; contact data comes as labels (办公地址: / 地址： / 联系电话 / 电话：
/ 邮政编码 / 办公时间 …), several on one line.

:func:`parse_guide` walks the lines once, keeps the current topic from the
headings, and lets each topic's handler place what it recognises. Every
non-blank line is either placed (it fed a field, or it is a heading that set
a topic) or returned in the list of unplaced raw line numbers, so a volunteer
knows what to check by eye. Nothing here raises on arbitrary text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# full-width ASCII -> half-width, one character for one, so offsets agree
_HALF = str.maketrans(
    {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " ", "\u00a0": " "}
)
_MARKUP = re.compile(r"</?(?:b|strong|p|span|br)\s*/?>|\*\*|^#{1,6}\s+", re.IGNORECASE)
_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_VALUES |= {"六": 6, "七": 7, "八": 8, "九": 9}
_CN = "一二三四五六七八九十"
_NUMBERINGS = (
    (1, re.compile(rf"^(?:第[{_CN}]+(?:章|部分|节)|[{_CN}]+\s*[、.])\s*")),
    (2, re.compile(rf"^\(\s*[{_CN}]+\s*\)\s*[、.]?\s*")),
    (3, re.compile(r"^\d{1,2}\s*[、.](?!\d)\s*")),
    (4, re.compile(r"^(?:\(\s*\d{1,2}\s*\)|[①-⑳])\s*[、.]?\s*")),
)
_SENTENCE_END = re.compile(r"[。;；]")
_URL = re.compile(r"https?://[^\s()（）,，;；。<>\"“”]+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_POSTCODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
_FORM_FILE = re.compile(r"[^\s:/\\|]+\.(?:docx?|wps|pdf|xlsx?)", re.IGNORECASE)
_PERIOD = re.compile(
    rf"(?<![\d月第])(\d+|[{_CN_DIGITS}十百]+)\s*(个工作日|工作日|个自然日|自然日|个月|日|天|月(?!\d))"
)
_UNITS = {"个工作日": "working_days", "工作日": "working_days", "个月": "months", "月": "months"}
_SEASON = re.compile(
    r"\d{1,2}月\d{1,2}日\s*(?:至|到|-|—|–|~|～)\s*(?:次年|翌年)?\s*\d{1,2}月\d{1,2}日"
    r"|夏季|冬季|夏令时|冬令时|夏秋季|冬春季"
)
_LABEL = re.compile(
    r"(?P<label>办公地址|联系地址|通信地址|通讯地址|邮寄地址|受理地址|来信请寄|寄送地址|地址"
    r"|邮政编码|邮编|办公时间|受理时间|工作时间|开放时间|接待时间|办理时间"
    r"|联系电话|咨询电话|办公电话|受理电话|电话号码|电话|传真号码|传真"
    r"|电子邮箱|电子信箱|电子邮件|邮箱|e-?mail|网址|网上联系|网站"
    r"|机构名称|单位名称|名称|受理机构|受理单位|受理窗口)\s*:\s*"
    r"|(?P<bare>联系电话|电话|传真|邮政编码|邮编)\s*(?=\d)",
    re.IGNORECASE,
)
_FIELD_OF_LABEL = {
    "office": ("名称", "受理机构", "受理单位", "受理窗口"),
    "address": ("地址", "来信请寄"),
    "postcode": ("邮政编码", "邮编"),
    "hours": ("时间",),
    "fax": ("传真",),
    "phone": ("电话",),
    "email": ("邮箱", "信箱", "邮件", "mail"),
    "url": ("网址", "网上联系", "网站"),
}
_NAME_STATEMENT = re.compile(
    r"(?:机构|受理点|窗口|部门|机关|单位|法院)\s*(?:为|是)\s*:?\s*(?P<name>[^,;。，；(:]{2,40})"
)
_ACCEPT_POINT = re.compile(
    r"在(?P<name>[^,;。，；]{2,30}?)(?:设立|设置|设|为)[^,;。，；]{0,20}受理(?:点|窗口|处)"
)
_TO_BODY = {
    "reconsideration": re.compile(r"向(?P<name>[^,;。，；]{2,30}?)申请(?:行政)?复议"),
    "litigation": re.compile(r"向(?P<name>[^,;。，；]{2,30}?)提起(?:行政)?诉讼"),
}
_REMEDY_LABELS = {
    "reconsideration": re.compile(r"复议机关\s*(?:[:为是])\s*(?P<name>[^,;。，；()]{2,40})"),
    "litigation": re.compile(
        r"(?:管辖法院|受理法院|诉讼受理机构)\s*(?:[:为是])\s*(?P<name>[^,;。，；()]{2,40})"
    ),
}
_GENERIC_BODY = re.compile(r"管辖权|^人民法院$|^上一级|^有关|^其|^该")
_CHANNEL_TYPES = (
    ("email", ("电子邮件", "电子邮箱", "电子信箱")),
    ("fax", ("传真",)),
    ("online", ("网上", "网络", "在线", "互联网", "网站", "线上")),
    ("post", ("信函", "邮寄", "邮政", "邮递", "来信")),
    ("in_person", ("当面", "现场", "面对面", "窗口")),
    ("phone", ("电话申请",)),
)
_MAIN_TOPICS = (
    ("form", re.compile(r"^附件|申请表$")),
    ("not_disclosed", re.compile(r"不予公开|免予公开|不公开|不予提供")),
    ("remedies", re.compile(r"监督|救济|复议|诉讼|投诉|举报")),
    ("fees", re.compile(r"收费|费用")),
    ("office", re.compile(r"工作机构|受理机构|机构设置|联系方式|受理部门|工作部门|公开机构")),
    ("apply", re.compile(r"依申请|申请")),
    ("proactive", re.compile(r"主动")),
)
_SUB_TOPICS = {
    "proactive": (
        ("scope", re.compile(r"范围|内容|目录|类别")),
        ("where", re.compile(r"形式|方式|途径|场所|渠道|载体|查阅")),
        ("time", re.compile(r"时限|时间|期限")),
    ),
    "apply": (
        ("fees", re.compile(r"收费|费用")),
        ("notes", re.compile(r"注意|须知|要求|材料")),
        ("handling", re.compile(r"办理|处理|答复|程序|流程|期限|时限|说明")),
        ("channels", re.compile(r"渠道|方式|途径|提交|提出")),
    ),
}
_FORM_GROUPS = frozenset(
    [
        "申请人信息",
        "申请人",
        "公民",
        "法人或者其他组织",
        "法人或其他组织",
        "所需信息情况",
        "所需信息",
        "选填部分",
        "必填部分",
        "申请信息",
    ]
)
_SEP = " ,;，；。、:："
_REMEDY_TYPES = ("correction", "reconsideration", "litigation", "complaint")


@dataclass
class _Line:
    """One line: raw number, text as written (markup removed), and a half-width twin."""

    no: int
    text: str
    half: str
    level: int = 0  # heading numbering level, 0 when unnumbered
    body: str = ""  # text after the numbering, as written
    body_half: str = ""


@dataclass
class _State:
    data: dict = field(default_factory=dict)
    placed: set[int] = field(default_factory=set)
    main: str = ""
    sub: str = ""
    target: dict | None = None  # the channel, office or remedy that labels fill
    channels: list[dict] = field(default_factory=list)
    office: dict = field(default_factory=lambda: {"type": "in_person"})
    remedies: list[dict] = field(default_factory=list)
    remedy_notes: list[tuple[str, str]] = field(default_factory=list)
    remedy_periods: list[tuple[str, dict]] = field(default_factory=list)
    time_limits: dict = field(default_factory=dict)
    not_counted: list[str] = field(default_factory=list)
    fees: list[str] = field(default_factory=list)
    scope: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    form: dict = field(default_factory=dict)
    form_names: list[tuple[str, int, bool]] = field(default_factory=list)  # name, line, titled
    form_fields: list[str] = field(default_factory=list)
    row_buf: list[_Line] = field(default_factory=list)
    last_labels: list[str] = field(default_factory=list)
    optional: bool = False  # form rows after 选填部分
    title_lines: list[int] = field(default_factory=list)
    title: str = ""
    name_guess: str = ""
    source_url: str = ""


# ---------------------------------------------------------------- small helpers


def _half(s: str) -> str:
    return s.translate(_HALF)


def _trim(s: str) -> str:
    return s.strip(_SEP + " \t")


def _squash(s: str) -> str:
    """Collapse whitespace; drop spaces between CJK characters (``姓 名`` -> ``姓名``)."""
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", s)


def cn_int(s: str) -> int | None:
    """``20`` / ``二十`` / ``十五`` / ``六十`` -> int; None if it is not a number."""
    if s.isdigit():
        return int(s)
    total = cur = 0
    for ch in s:
        if ch in _CN_VALUES:
            cur = _CN_VALUES[ch]
        elif ch in "十百":
            total += (cur or 1) * (10 if ch == "十" else 100)
            cur = 0
        else:
            return None
    value = total + cur
    return value if s else None


def _make_line(no: int, raw: str) -> _Line:
    text = _MARKUP.sub("", raw).strip(" \t\r\n\u3000\u00a0\u200b\ufeff")
    half = _half(text)
    ln = _Line(no, text, half, 0, text, half)
    for level, pattern in _NUMBERINGS:
        m = pattern.match(half)
        if m and m.end() < len(half):
            ln.level, ln.body, ln.body_half = level, text[m.end() :], half[m.end() :]
            break
    return ln


def _sentences(text: str, half: str) -> list[tuple[str, str]]:
    """Split at 。；; keeping each piece as written and half-width."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(half):
        out.append((text[start : m.end()], half[start : m.end()]))
        start = m.end()
    if start < len(half):
        out.append((text[start:], half[start:]))
    return [(t.strip(), h.strip()) for t, h in out if h.strip()]


def _channel_type(text: str) -> str | None:
    for kind, words in _CHANNEL_TYPES:
        if any(w in text for w in words):
            return kind
    return None


def _topic(text: str) -> str:
    for name, pattern in _MAIN_TOPICS:
        if pattern.search(text):
            return name
    return ""


def _sub_topic(main: str, text: str) -> str:
    for name, pattern in _SUB_TOPICS.get(main, ()):
        if pattern.search(text):
            return name
    return ""


def _append(d: dict, key: str, value: str, sep: str = "；") -> None:
    value = value.strip()
    if not value:
        return
    if not d.get(key):
        d[key] = value
    elif value not in d[key]:
        d[key] = f"{d[key]}{sep}{value}"


# ---------------------------------------------------------------- hours and labels


def parse_hours(text: str) -> list[dict]:
    """Opening hours, split by season when the text names seasons.

    ``8:30-12:00 14:30-18:00(5月1日至9月30日的工作日);8:30-12:00 …(10月1日至次年4月30日)``
    and ``10月1日-次年4月30日:上午8:30-12:00 …,5月1日-9月30日:…`` both give one
    entry per season.
    """
    half = _half(text)
    seasons = list(_SEASON.finditer(half))
    if not seasons:
        return [{"text": _trim(half)}] if _trim(half) else []
    out, pos = [], 0
    for i, m in enumerate(seasons):
        open_paren = half.rfind("(", pos, m.start())
        if open_paren >= 0 and not half[open_paren + 1 : m.start()].strip():
            close = half.find(")", m.end())
            body = _trim(half[pos:open_paren])
            pos = close + 1 if close >= 0 else m.end()
        else:
            end = seasons[i + 1].start() if i + 1 < len(seasons) else len(half)
            body = _trim(half[m.end() : end].lstrip("的工作日"))
            pos = end
        if body:
            out.append({"season": re.sub(r"\s+", "", m.group(0)), "text": body})
    return out


def _label_field(label: str) -> str:
    for key, words in _FIELD_OF_LABEL.items():
        if any(w in label.lower() for w in words):
            return key
    return ""


def _labelled(half: str) -> list[tuple[str, str, int]]:
    """(field, value, start) for every label on a line, the value running to the next label."""
    found = list(_LABEL.finditer(half))
    out = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(half)
        label = m.group("label") or m.group("bare")
        value = half[m.end() : end]
        if half[: m.start()].count("(") > half[: m.start()].count(")"):
            value = value.split(")", 1)[0]  # a label inside parentheses ends with them
        out.append((_label_field(label), value.strip(), m.start()))
    return out


def _set(target: dict, key: str, value: str) -> None:
    """Set a field; a second, different value goes to the notes rather than being lost."""
    if not value:
        return
    if not target.get(key):
        target[key] = value
    elif value not in target[key]:
        if key in ("phone", "fax"):
            target[key] = f"{target[key]}、{value}"
        else:
            _append(target, "notes", value)


def _put_address(target: dict, value: str) -> None:
    """``地址,某办公室(收),同时须在信封左下角注明…`` -> address, office, notes."""
    pieces = [p for p in (_trim(p) for p in re.split(r"[,，;；]", value)) if p]
    for i, piece in enumerate(pieces):
        if piece.endswith("(收)") or piece.endswith("收)"):
            _set(target, "office", piece.rsplit("(", 1)[0].strip())
        elif re.search(r"注明|字样|信封", piece):
            _append(target, "notes", re.sub(r"^(?:同时|并|且)", "", piece))
        elif i == 0:
            _set(target, "address", piece)
        else:
            _append(target, "notes", piece)


def _put(target: dict, key: str, value: str) -> bool:
    value = _trim(value)
    if not value or not key:
        return False
    if key == "address":
        _put_address(target, value)
    elif key == "postcode":
        m = _POSTCODE.search(value)
        _set(target, "postcode", m.group(0) if m else "")
        return bool(m)
    elif key == "hours":
        hours = parse_hours(value)
        if hours and not target.get("hours"):
            target["hours"] = hours
    elif key == "email":
        m = _EMAIL.search(value)
        if not m:
            return False
        _set(target, "email", m.group(0))
        _append(target, "notes", _trim(value.replace(m.group(0), "").strip(" ()")))
    elif key == "url":
        m = _URL.search(value)
        if not m:
            return False
        _set(target, "url", m.group(0))
    elif key == "office":
        _set(target, _name_key(target), value)
    else:
        _set(target, key, value)
    return True


def _name_key(target: dict) -> str:
    """A remedy names its ``body``; a channel or the office its ``office``."""
    return "body" if target.get("type") in _REMEDY_TYPES else "office"


def _name_statement(half: str) -> str:
    m = _NAME_STATEMENT.search(half)
    if m and "主管" not in half[max(0, m.start() - 6) : m.start() + 2]:
        return _trim(m.group("name"))
    m = _ACCEPT_POINT.search(half)
    return _trim(m.group("name")) if m else ""


def _fill(target: dict, ln: _Line) -> bool:
    """Fill a channel/office/remedy from labels, an office statement and URLs on one line."""
    half = ln.body_half
    placed = False
    labels = _labelled(half)
    head = half[: labels[0][2]] if labels else half
    name = _name_statement(head)
    if name:
        _set(target, _name_key(target), name)
        placed = True
    for key, value, _start in labels:
        placed = _put(target, key, value) or placed
    if not labels:
        m = _URL.search(half)
        if m and target.get("type") in ("online", "in_person") and not target.get("url"):
            target["url"] = m.group(0)
            placed = True
    return placed


# ---------------------------------------------------------------- time limits


def _period(half: str, m: re.Match) -> dict | None:
    days = cn_int(m.group(1))
    if days is None or days > 400:
        return None
    return {"days": days, "unit": _UNITS.get(m.group(2), "days")}


def _remedy_kind(half: str, m: re.Match) -> str:
    after = [(half.find(w, m.end()), k) for w, k in (("复议", "r"), ("诉讼", "l"))]
    after = [(i, k) for i, k in after if i >= 0]
    if after:
        kind = min(after)[1]
    else:
        before = [(half.rfind(w, 0, m.start()), k) for w, k in (("复议", "r"), ("诉讼", "l"))]
        kind = max(before)[1]
    return "reconsideration" if kind == "r" else "litigation"


def _time_sentence(st: _State, text: str, half: str) -> bool:
    """Place one sentence that states a time limit, a remedy period or what is not counted."""
    placed = False
    m_nc = re.search(r"不计入|不计算在|不计算", half)
    if m_nc and re.search(r"时间|期间", half[: m_nc.start()]):
        item = re.sub(r"^.*?(?:本机关|行政机关|本单位|机关)", "", text[: m_nc.start()])
        item = _trim(re.sub(r"^(?:因|但)", "", item))
        if item and item not in st.not_counted:
            st.not_counted.append(item)
        placed = True
    for m in _PERIOD.finditer(half):
        period = _period(half, m)
        if period is None:
            continue
        key = ""
        if "复议" in half or "诉讼" in half:
            kind = _remedy_kind(half, m)
            if kind == "litigation" and "复议决定" in half[: m.start()]:
                period["after_reconsideration"] = True
            st.remedy_periods.append((kind, {**period, "text": text}))
            placed = True
            continue
        if "延长" in half[: m.start()]:
            key = "extension"
        elif re.search(r"答复|回复|作出", half) and re.search(r"收到|受理|申请", half):
            key = "answer"
        elif re.search(r"形成|变更|主动公开|及时公开", half):
            key = "proactive"
        if key and key not in st.time_limits:
            st.time_limits[key] = {**period, "text": text}
            placed = True
    return placed


def _time_limits(st: _State, ln: _Line) -> bool:
    placed = False
    for text, half in _sentences(ln.text, ln.half):
        placed = _time_sentence(st, text, half) or placed
    return placed


# ---------------------------------------------------------------- topic handlers


def _new_channel(st: _State, kind: str) -> dict:
    for channel in st.channels:
        if channel["type"] == kind:
            return channel
    channel = {"type": kind}
    st.channels.append(channel)
    return channel


def _preface(st: _State, ln: _Line) -> bool:
    half = ln.half
    if len(half) <= 40 and "指南" in half and "。" not in half and not st.title:
        st.title = _trim(ln.text)
        return True
    m = re.search(r"[“\"]([^”\"]{2,30})[”\"]\s*[)）]?\s*(?:以下)?简称\s*[“\"]?本", half)
    m = m or re.search(r"([\u4e00-\u9fff]{2,30}?)\s*\(\s*以下简称\s*[“\"]?本", half)
    if m and not st.name_guess:
        st.name_guess = m.group(1)
        return True
    url = _URL.search(half)
    if url and "指南" in half and not st.source_url:
        st.source_url = url.group(0)
        return True
    return False


def _scope(st: _State, ln: _Line) -> bool:
    body = _trim(_URL.sub("", ln.body))
    if ln.half.rstrip().endswith(":") and ln.level == 0:
        return True  # a lead-in: 本局主动公开以下政府信息：
    lead = re.search(r"(?:包括|如下)[:：]?|[:：]", body)
    listed = lead and "。" not in body[lead.end() :] and body.count("、") >= 2
    if listed and ln.level == 0 and len(body) - lead.end() < 300:
        items = re.split(r"[、;；]", body[lead.end() :])
        st.scope += [_trim(i) for i in items if _trim(i)]
        return True
    if ln.level >= 3 or (len(body) <= 30 and "。" not in body):
        st.scope.append(body)
        return True
    if _URL.search(ln.half) or "网站" in ln.half:
        st.where.append(_trim(ln.text))
        return True
    return False


def _where(st: _State, ln: _Line) -> bool:
    if ln.level == 3 or not st.where:
        st.where.append(_trim(ln.body))
    else:
        st.where[-1] = f"{st.where[-1]} {_trim(ln.text)}"
    return True


def _channels(st: _State, ln: _Line) -> bool:
    kind = _channel_type(ln.body_half[:12]) if ln.level >= 3 else None
    if kind:
        st.target = _new_channel(st, kind)
        rest = _make_line(ln.no, re.sub(r"^[^。:：]{0,12}[。:：]", "", ln.body))
        if rest.text != ln.body:
            _fill(st.target, rest)
        return True
    if st.target is None:
        kinds = {k for k, words in _CHANNEL_TYPES if any(w in ln.half for w in words)}
        for k, _words in _CHANNEL_TYPES:
            if k in kinds:
                _new_channel(st, k)
        return bool(kinds)
    if _fill(st.target, ln):
        return True
    if re.search(r"注意|注明|须|应当|不接受|不受理|附", ln.half):
        _append(st.target, "notes", _trim(ln.text))
        return True
    return False


def _apply_notes(st: _State, ln: _Line) -> bool:
    placed = False
    for text, half in _sentences(ln.body, ln.body_half):
        if re.search(r"身份证|证件|复印件|扫描件|信封|营业执照", half):
            kind = _channel_type(half)
            if kind and kind in {c["type"] for c in st.channels}:
                _append(_new_channel(st, kind), "notes", _trim(text))
                placed = True
    m = re.search(r"《([^》]*申请表)》", ln.half)
    if m:
        st.form_names.append((m.group(1), ln.no, False))
    return placed


def _not_disclosed(st: _State, ln: _Line) -> bool:
    if ln.half.rstrip().endswith(":") and ln.level == 0:
        return True  # a lead-in to the list
    st.withheld.append(_trim(ln.body))
    return True


def _office(st: _State, ln: _Line) -> bool:
    st.target = st.office
    if _fill(st.office, ln):
        return True
    _append(st.office, "notes", _trim(ln.text))
    return True


def _new_remedy(st: _State, kind: str, body: str = "") -> dict:
    remedy = {"type": kind}
    if body:
        remedy["body"] = body
    st.remedies.append(remedy)
    return remedy


def _remedy_statement(st: _State, half: str) -> bool:
    kind = "reconsideration" if "复议" in half else "litigation" if "诉讼" in half else ""
    name = _name_statement(half)
    if kind and name and re.search(r"机构|机关|法院|为", half):
        st.target = _new_remedy(st, kind, name)
        return True
    for kind, pattern in [*_REMEDY_LABELS.items(), *_TO_BODY.items()]:
        m = pattern.search(half)
        if m and not _GENERIC_BODY.search(_trim(m.group("name"))):
            st.target = _new_remedy(st, kind, _trim(m.group("name")))
            return True
    return False


def _remedies(st: _State, ln: _Line) -> bool:
    half = ln.half
    if "更正" in half:
        _new_remedy(st, "correction")["notes"] = _trim(ln.text)
        return True
    if _remedy_statement(st, half):
        for key, value, _start in _labelled(half):
            if key != "office":
                _put(st.target, key, value)
        if re.search(r"可以|应当|认为", half):
            _append(st.target, "notes", _trim(ln.text))
        return True
    if re.search(r"投诉|举报", half) and re.search(r"主管部门|上一级|监察|上级", half):
        _new_remedy(st, "complaint")["notes"] = _trim(ln.text)
        return True
    if st.target is not None and _labelled(half) and _fill(st.target, ln):
        return True
    if "复议" in half or "诉讼" in half:
        kind = "reconsideration" if "复议" in half else "litigation"
        st.remedy_notes.append((kind, _trim(ln.text)))
        return True
    return False


# ---------------------------------------------------------------- the form


def _flush_row(st: _State) -> None:
    lines, st.row_buf = st.row_buf, []
    if not lines:
        return
    joined = "\n".join(ln.text for ln in lines)
    cells = [_squash(c) for c in joined.split("|")]
    cells = [c for c in cells if c]
    labels, options = [], []
    for cell in cells:
        if "□" in cell or "☐" in cell:
            options.append(cell)
        elif cell.replace(" ", "") in _FORM_GROUPS:
            st.optional = st.optional or cell.replace(" ", "") == "选填部分"
        else:
            labels.append(f"{cell}（选填）" if st.optional and not cell.startswith("注") else cell)
    for i, option in enumerate(options):
        text = re.sub(r"\s*[□☐]\s*", "／", option).strip("／ ")
        if i < len(st.last_labels) and st.last_labels[i] in st.form_fields:
            at = st.form_fields.index(st.last_labels[i])
            st.form_fields[at] = f"{st.last_labels[i]}：{text}"
        else:
            st.form_fields.append(text)
    for label in labels:
        if label.startswith(("注:", "注：", "说明")):
            _append(st.form, "notes", label)
        elif label not in st.form_fields:
            st.form_fields.append(label)
    if labels:
        st.last_labels = labels
    st.placed.update(ln.no for ln in lines)


def _table_line(st: _State, ln: _Line) -> bool:
    """Buffer a row of the form table (pipe cells; a cell may run over lines)."""
    in_form = st.main == "form"
    tabular = ln.half.count("|") >= 2 or bool(st.row_buf)
    if not (tabular or (in_form and ("|" in ln.half or "□" in ln.half))):
        return False
    st.row_buf.append(ln)
    if ln.half.rstrip().endswith("|"):
        _flush_row(st)
    return True


def _form(st: _State, ln: _Line) -> bool:
    half = ln.half
    f = _FORM_FILE.search(half)
    if f and ("申请表" in half or "下载" in half):
        _set(st.form, "file_name", f.group(0))
        return True
    if _URL.search(half) and "申请表" in half:
        _set(st.form, "url", _URL.search(half).group(0))
        return True
    if re.fullmatch(r"附件\s*\d*\s*[:：]?", half.strip()):
        return True
    if "申请表" in half and len(half) <= 40 and "。" not in half:
        st.form_names.append((_trim(ln.body), ln.no, True))
        return True
    return False


# ---------------------------------------------------------------- the walk


def _heading(st: _State, ln: _Line) -> bool | None:
    """Set the topic from a heading; None when the line is not a heading."""
    body = ln.body_half
    head = body.split(":", 1)[0] if ":" in body[:16] else body
    short = len(head) <= 25 and not head.rstrip().endswith("。")
    if re.fullmatch(r"附件\s*\d*\s*[:：]?", ln.half.strip()):
        st.main, st.sub, st.target = "form", "", None
        return True
    if ln.level not in (1, 2) or not short:
        if ln.level >= 3 and len(body) <= 12 and st.main == "apply" and st.sub != "channels":
            sub = _sub_topic(st.main, body)
            if sub and sub != st.sub:
                st.sub = sub
                return True
        return None
    main, sub_here = _topic(head), _sub_topic(st.main, head)
    listing = _handler(st) in (_scope, _where, _not_disclosed)
    if ln.level == 2 and listing and re.search(r"[;,。、]$|、", head.rstrip()):
        return None  # an item numbered like a heading: （一）机构职能、领导分工；
    if ln.level == 1 and (main or not sub_here):
        st.main, st.sub = main or "other", _sub_topic(main, head)
    elif ln.level == 1:  # under 第X部分, 一、 is a sub-heading of the part
        st.sub = sub_here
    elif main and main != st.main and not sub_here:
        st.main, st.sub = main, _sub_topic(main, head)
    elif sub_here:
        st.sub = sub_here
    elif listing:
        return None  # an item numbered like a heading: （二）规范性文件；
    else:
        st.sub = "other"
    st.target = None
    if head != body:  # ``(三)公开时限:本机关…`` — the rest is content
        return None
    return bool(main or st.sub not in ("", "other"))


def _handler(st: _State):
    topic = st.sub if st.main in ("proactive", "apply") and st.sub else st.main
    return {
        "scope": _scope,
        "where": _where,
        "channels": _channels,
        "notes": _apply_notes,
        "not_disclosed": _not_disclosed,
        "office": _office,
        "remedies": _remedies,
        "form": _form,
        "": _preface,
    }.get(topic)


def _fees(st: _State, ln: _Line) -> bool:
    topical = st.main == "fees" or st.sub == "fees"
    stated = re.search(r"信息处理费|国办函〔2020〕109号|收取.{0,10}费|不收取", ln.half)
    if topical or (stated and "申请表" not in ln.half):
        st.fees.append(_trim(ln.text))
        return True
    return False


def _line(st: _State, ln: _Line) -> bool:
    if _table_line(st, ln):
        return True
    heading = _heading(st, ln)
    if heading is not None:
        return heading
    if (st.main == "form" or _FORM_FILE.search(ln.half)) and _form(st, ln):
        return True
    placed = _time_limits(st, ln)
    if _fees(st, ln):
        return True
    handler = _handler(st)
    if handler is not None and not (placed and handler in (_scope, _where, _preface)):
        placed = handler(st, ln) or placed
    return placed


def _attach_remedies(st: _State) -> list[dict]:
    for kind, note in st.remedy_notes:
        target = next((r for r in st.remedies if r["type"] == kind), None)
        target = target or _new_remedy(st, kind)
        _append(target, "notes", note)
    for kind, period in st.remedy_periods:
        after = period.pop("after_reconsideration", False)
        target = next((r for r in st.remedies if r["type"] == kind), None)
        target = target or _new_remedy(st, kind)
        if target.get("period") is None:
            target["period"] = period
        elif after:
            _append(target, "notes", period["text"])
    order = {"correction": 0, "complaint": 1, "reconsideration": 2, "litigation": 3}
    return sorted(st.remedies, key=lambda r: order.get(r["type"], 9))


def _form_data(st: _State) -> dict:
    names = sorted(st.form_names, key=lambda n: not n[2])
    if names:
        st.form["name"] = names[0][0]
        st.placed.add(names[0][1])
    if st.form_fields:
        st.form["fields"] = st.form_fields
    return st.form


def _prune(value):
    """Drop empty strings, lists and mappings, recursively."""
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [v for v in (_prune(v) for v in value) if v not in (None, "", [], {})]
    return value


def _assemble(st: _State, first_line: int, count: int) -> dict:
    title = st.title or (f"{st.name_guess}政府信息公开指南" if st.name_guess else None)
    source: dict = {"lines": f"{first_line}-{first_line + count - 1}"} if count else {}
    if st.source_url:
        source["url"] = st.source_url
    data = {
        "agency": None,
        "title": title,
        "source": source,
        "office": st.office if len(st.office) > 1 else None,
        "channels": st.channels,
        "time_limits": {
            k: st.time_limits[k]
            for k in ("proactive", "answer", "extension")
            if k in st.time_limits
        },
        "not_counted": st.not_counted,
        "fees": "\n".join(dict.fromkeys(st.fees)),
        "remedies": _attach_remedies(st),
        "proactive_scope": st.scope,
        "proactive_where": st.where,
        "not_disclosed": st.withheld,
        "form": _form_data(st),
    }
    pruned = _prune(data)
    return {"agency": None, "title": title, **pruned}


def parse_guide(lines: list[str], first_line: int) -> tuple[dict, list[int]]:
    """Parse one guide: (YAML-ready data for the GUIDE schema, raw line numbers not placed).

    ``first_line`` is the raw line number of ``lines[0]``. ``agency`` is left
    None for the caller; ``source.raw`` too. Never raises on arbitrary text.
    """
    st = _State()
    parsed = [
        _make_line(first_line + i, s if isinstance(s, str) else "") for i, s in enumerate(lines)
    ]
    for ln in parsed:
        if not ln.text:
            continue
        try:
            if _line(st, ln):
                st.placed.add(ln.no)
        except Exception:
            st.target = None
    try:
        _flush_row(st)
        data = _assemble(st, first_line, len(parsed))
    except Exception:
        data, st.placed = {"agency": None, "title": None}, set()
    unplaced = [ln.no for ln in parsed if ln.text and ln.no not in st.placed]
    return data, unplaced
