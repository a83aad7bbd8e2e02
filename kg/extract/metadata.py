"""Title, issuer, document number (文号), signing date, jurisdiction and level of a document.

The signing date is a line holding only a date, right after the issuer's name (the
signature block); web-page dates (发布时间) and printing dates (…印发) are fallbacks.
Everything is matched on the view and returned as written in the text.
"""
from __future__ import annotations

import re

from kg.model import Metadata, SourceText

__all__ = ["extract_metadata", "parse_date", "DOC_NUMBER", "places_of"]

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}\s*[\[〔【(]\s*(?:19|20)\d{2}\s*[\]〕】)]\s*第?\s*\d{1,4}\s*[号號]")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "O": 0, "o": 0, "Ｏ": 0}
_DATE_AR = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_CN = re.compile(r"([〇○零Oo一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
_DATE_ISO = re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
_ISSUER = re.compile(r"[\u4e00-\u9fff()]{2,40}(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|"
                     r"领导小组|局|厅|委|部|政府)")
_TITLE_NOTICE = re.compile(r"^.{0,40}关于.{2,80}的(?:通知|意见|决定|批复|函)$")
_TITLE_PLAN = re.compile(r"^.{4,80}(?:行动计划|实施方案|工作方案|方案|计划|规划|意见|要点|任务分工|分工|办法|细则|通知)$")
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,10}?(?:特别行政区|自治区|自治州|自治县|地区|省|市|州|盟|区|县|旗)")
_LEVEL_OF = [("自治区", "province"), ("特别行政区", "province"), ("省", "province"), ("自治州", "city"),
             ("地区", "city"), ("盟", "city"), ("州", "city"), ("市", "city"), ("自治县", "county"),
             ("县", "county"), ("旗", "county"), ("区", "district")]
_NATIONAL = re.compile(r"^(国务院|国家|中共中央|全国|中华人民共和国)")


def _cn_number(s: str) -> int:
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(s, 0)


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO yyyy-mm-dd.

    >>> parse_date("二○○七年八月二十四日"), parse_date("2017年9月14日"), parse_date("2017-09-27 10:39")
    ('2007-08-24', '2017-09-14', '2017-09-27')
    """
    m = _DATE_AR.search(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    elif (m := _DATE_CN.search(text)):
        y = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
        mo, d = _cn_number(m.group(2)), _cn_number(m.group(3))
    elif (m := _DATE_ISO.search(text)):
        y, mo, d = (int(g) for g in m.groups())
    else:
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


def places_of(name: str) -> tuple[str, ...]:
    """The chain of places a name starts with.

    >>> places_of("延安市宝塔区人民政府办公室")
    ('延安市', '宝塔区')
    >>> places_of("河南省人民政府办公厅")
    ('河南省',)
    """
    chain, pos = [], 0
    while True:
        m = _PLACE.match(name, pos)
        if not m or name.startswith(("人民", "政府"), m.start()):
            break
        chain.append(m.group())
        pos = m.end()
    return tuple(chain)


def _level(place: str) -> str | None:
    return next((lvl for suffix, lvl in _LEVEL_OF if place.endswith(suffix)), None)


def _lines(view: str) -> list[tuple[int, str]]:
    return [(m.start(), line) for m in _LINE.finditer(view) if (line := m.group().strip(" \t\u200b"))]


_LINE = re.compile(r"[^\n]+")


def _is_date_line(line: str) -> bool:
    rest = _DATE_AR.sub("", _DATE_CN.sub("", line)).strip(" ()印发")
    return rest == "" and parse_date(line) is not None


_SIGNATURE_LINE = 80
_SIGNED = re.compile(r"(\S+?)\s*((?:19|20)\d{2}年\d{1,2}月\d{1,2}日|[〇○零一二三四五六七八九]{4}年.{1,3}月.{1,4}日)$")


def _signature(lines: list[tuple[int, str]]) -> tuple[str | None, str | None]:
    """(issuer, date) from the first signature block: an issuer name followed by a date line.
    Signature lines are short; long lines are never examined (and never backtracked over)."""
    for k, (_, line) in enumerate(lines):
        if len(line) > _SIGNATURE_LINE or "日" not in line:  # both kinds of signature date end in 日
            continue
        m = _SIGNED.search(line)
        if _is_date_line(line) and k > 0:
            prev = lines[k - 1][1].split()[-1] if lines[k - 1][1].split() else ""
            if _ISSUER.fullmatch(prev):
                return prev, parse_date(line)
        elif m and _ISSUER.fullmatch(m.group(1).split("。")[-1]) and "印发" not in line:
            return m.group(1).split("。")[-1], parse_date(m.group(2))
    return None, None


def _field(view: str, names: str) -> str | None:
    m = re.search(rf"(?:{names})\s*:\s*([^\s|]+)", view[:6000])
    return m.group(1) if m else None


def _title(lines: list[tuple[int, str]], view: str) -> tuple[int, int] | None:
    head = lines[:60]
    for pattern in (_TITLE_NOTICE, _TITLE_PLAN):
        for pos, line in head:
            if pattern.match(line) and not re.match(r"(标题|中文名|来源|发布)", line) and \
                    not re.search(r"[。;,]$", line):
                return pos + view[pos:].index(line), len(line)
    return None


def extract_metadata(source: SourceText) -> Metadata:
    """Metadata of one document; every field may be None when the text does not say it."""
    view, text = source.view, source.text
    lines = _lines(view)
    span = _title(lines, view)
    title = text[span[0]:span[0] + span[1]] if span else None
    issuer, date = _signature(lines)
    issuer = issuer or _field(view, "发布机构|印发机关|发文机关|来源")
    date = date or parse_date(_field(view, "印发时间|成文日期|发布日期|发布时间") or "")
    number = _doc_number(view)
    if issuer:
        i = view.find(issuer)
        issuer = text[i:i + len(issuer)] if i != -1 else issuer
    places = places_of(_as_view(issuer, view, text)) if issuer else ()
    if not places and title:
        places = places_of(re.sub(r"^关于印发", "", _as_view(title, view, text)))
    jurisdiction, level = _jurisdiction(places, issuer)
    return Metadata(
        title=title, issuer=issuer, doc_number=text[number.start():number.end()] if number else None,
        date=date, jurisdiction=jurisdiction, level=level, places=places,
    )


def _doc_number(view: str) -> re.Match[str] | None:
    r"""The document's own 文号: a 文号 field, else a line of its own, else the first one not cited
    in brackets after a title (《…》(国发〔2015〕32号) is a reference to another document).

    >>> _doc_number("根据《意见》(中发〔2017〕24号)要求\n咸政办发〔2017〕24号\n").group()
    '咸政办发〔2017〕24号'
    >>> _doc_number("2007年8月24日,江西省人民政府办公厅以赣府厅〔2007〕53号印发").group()
    '赣府厅〔2007〕53号'
    """
    field = re.search(r"文号\s*:\s*", view)
    if field:
        m = DOC_NUMBER.match(view, field.end())
        if m:
            return m
    if not _YEAR_BRACKET.search(view):
        return None  # every 文号 holds its year in brackets: none in the text (one fast scan), no 文号
    m = _OWN_LINE.match(view) or _OWN_LINE_AFTER_BREAK.search(view)  # ^…$ of each line, the first
    if m:
        return _trimmed(view, m.start(1), m.end(1))
    for m in DOC_NUMBER.finditer(view):
        if not view[max(0, m.start() - 1):m.start()] in ("(", "《"):
            return _trimmed(view, m.start(), m.end())
    return None


_YEAR_BRACKET = re.compile(r"[\[〔【(]\s*(?:19|20)\d{2}\s*[\]〕】)]")  # a part of every DOC_NUMBER match
_OWN_LINE = re.compile(r"\s*(" + DOC_NUMBER.pattern + r")\s*$", re.M)  # a 文号 on a line of its own
_OWN_LINE_AFTER_BREAK = re.compile(r"\n" + _OWN_LINE.pattern, re.M)  # the same at a later line (searched fast)


def _trimmed(view: str, a: int, b: int) -> re.Match[str] | None:
    """Drop connecting words caught before the number's own abbreviation (以赣府厅 → 赣府厅)."""
    text = view[a:b]
    cut = re.match(r".*(?:以|经|按|和|、|及|的|印发|根据|依据|办公厅|办公室|政府)", text.split("〔")[0].split("[")[0])
    return DOC_NUMBER.match(view, a + (cut.end() if cut else 0))


def _as_view(original: str, view: str, text: str) -> str:
    i = text.find(original)
    return view[i:i + len(original)] if i != -1 else original


def _jurisdiction(places: tuple[str, ...], issuer: str | None) -> tuple[str | None, str | None]:
    if places:
        return places[-1], _level(places[-1])
    if issuer and _NATIONAL.match(issuer):
        return "全国", "national"
    return None, None
