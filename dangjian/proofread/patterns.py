"""Pattern layer: placeholders, foreign content, punctuation and dates (regular expressions only).

Every rule here is a general pattern from GB/T 15834-2011 (punctuation), GB/T 15835-2011 and
GB/T 9704-2012 (numbers, dates), or from the issue's list of template residue and watermark
text; the ad/watermark phrase list lives in data/foreign_patterns.txt with its sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import ahocorasick

# (start, end, kind, suggestion, message) or, for the opt-in style level, the same + ("style",)
Raw = tuple

DATA = Path(__file__).with_name("data")
CJK = "\u3400-\u4dbf\u4e00-\u9fff"
CJK_RE = f"[{CJK}]"
# Characters that end a paragraph properly (GB/T 15834: 句末点号, plus closing quotes/brackets).
CLOSERS = "。！？；：…”’）》」』】—.!?;:"

# --- placeholder ---------------------------------------------------------------------------
# x/X/× runs not glued to Latin letters (so "Windows XP", "Xbox", "X光" stay clean).
_XRUN = r"(?<![A-Za-z])[xX×Ｘｘ]{2,}(?![A-Za-z])|×{2,}"
_XUNIT = (
    r"(?<![A-Za-z])[xX×Ｘｘ](?=[年月日号时分秒个名人次项件元万亿%％岁期批届级场篇条家户]|\.\d|[．.][xX]|[—\-～~至到]\d)"
    # a lone X between Chinese characters is a blank (X光, X射线, X轴 are words)
    rf"|(?<={CJK_RE})[xXＸｘ](?={CJK_RE})(?!光|射线|线|轴|型|形|染色体)"
    # ... and so is one where a number follows a name and a hyphen (铀-235 → 铀-X及…)
    rf"|(?<={CJK_RE}[-‐])[xXＸｘ](?={CJK_RE})"
)
_XDEC = r"(?<![A-Za-z])\d*[xX×][．.][xX×\d]+(?![A-Za-z])|(?<![A-Za-z\d])\d+[．.][xX×]+(?![A-Za-z])"
_YEARX = r"(?<!\d)(?:19|20)?\d{0,2}[xX×Ｘｘ]{1,4}(?=年)"
# an item number left blank at the start of a line (X.“数商兴农”行动：…, XX、…)
_ITEMX = r"(?<![^\n])[ \t\u3000]*[xX×Ｘｘ]{1,3}[.．、](?=[\u4e00-\u9fff“‘《（(])"
_PLACEHOLDER_RE = re.compile(
    "|".join(
        [
            _XDEC,
            _YEARX,
            _ITEMX,
            _XRUN,
            _XUNIT,
            r"[□■▢☐]+",
            r"[○]{2,}",
            r"_{3,}|＿{2,}",
            r"【[^】\n]{0,40}】",
            r"某某",
            r"[*＊]+",
            r"[\[［]\s*(?:单位|姓名|名称|日期|时间|数字|内容|标题)[^\]］\n]{0,10}[\]］]",
        ]
    )
)
# 【…】 is a placeholder only when it reads like a template prompt (newsletters use 【典型案例】).
_PROMPT_WORDS = re.compile(
    r"请|填|输入|此处|示例|说明|注[:：]|待|补充|根据实际|按照|模板|可选|删除|xx|XX|某|单位名称|姓名|日期|标题|正文|内容"
)
# "张某某" anonymises a person in a case report — that is correct usage, not a blank.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_MD_BOLD = re.compile(r"\*\*[^*\n]+?\*\*|__[^_\n]+?__")


_PLACEHOLDER_TRIGGER = re.compile(r"[xX×Ｘｘ□■▢☐○_＿【*＊\[［某]")


def trigger_lines(text: str, trigger: re.Pattern[str]) -> list[tuple[int, int]]:
    """(start, end) of each line holding a trigger match: the full rules run on those lines only,
    which keeps the pattern layer at C speed on clean text."""
    spans: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while True:
        m = trigger.search(text, pos)
        if m is None:
            return spans
        ls = text.rfind("\n", 0, m.start()) + 1
        le = text.find("\n", m.end())
        le = n if le < 0 else le
        spans.append((ls, le))
        pos = le + 1
        if pos >= n:
            return spans


# A document that introduces a lone X by what it is (社交媒体平台X, 公司X) uses X as a name.
_NAMED_X = re.compile(r"(?:平台|公司|品牌|网站|应用|软件|账号|企业|产品)[xXＸ](?![A-Za-z])")
_LONE_X = frozenset("xXＸｘ")


def find_placeholders(text: str) -> Iterator[Raw]:
    named_x = _NAMED_X.search(text) is not None
    for ls, le in trigger_lines(text, _PLACEHOLDER_TRIGGER):
        yield from _placeholders_in(text, ls, le, named_x)


def _placeholders_in(text: str, ls: int, le: int, named_x: bool = False) -> Iterator[Raw]:
    line = text[ls:le]
    bold = (
        [(m.start() + ls, m.end() + ls) for m in _MD_BOLD.finditer(line)]
        if "**" in line or "__" in line
        else []
    )
    for m in _PLACEHOLDER_RE.finditer(text, ls, le):
        s, e = m.start(), m.end()
        tok = m.group()
        first = tok[0]
        if first == "【":
            if len(tok) > 2 and not _PROMPT_WORDS.search(tok):
                continue
        elif tok == "某某":
            # 张某某 anonymises a person; 田某某万亩 is a blank before a unit
            if (
                s > 0
                and text[s - 1] in _SURNAMES
                and not re.match(r"[万亿千百个名人次项元%％年月日]", text[e : e + 1])
            ):
                continue
        elif first in "*＊":
            # markdown **bold** / * bullet markers are markup, not blanks
            if any(s in (bs, be - 2) and e - s == 2 for bs, be in bold):
                continue
            if (s == 0 or text[s - 1] == "\n") and e < len(text) and text[e] == " ":
                continue
        elif first == "_" and any(bs <= s < be for bs, be in bold):
            continue
        elif named_x and tok in _LONE_X:
            continue
        yield (s, e, "placeholder", None, "模板占位符未替换（如 xx、××、某某、□），请填写实际内容")


# --- foreign content -------------------------------------------------------------------------
@cache
def _foreign_re() -> re.Pattern[str]:
    phrases = []
    for line in (DATA / "foreign_patterns.txt").read_text("utf-8").splitlines():
        line = line.split("\t#", 1)[0].strip()
        if line and not line.startswith("#"):
            phrases.append(line)
    contact = [
        r"(?:QQ|qq|Qq|扣扣)(?:号码?|群)?\s*[:：]?\s*\d{5,11}",
        r"(?:微信号?|weixin|WeChat|wechat|VX|vx|Vx|WX|wx|V信|薇信|威信)\s*[:：]\s*[A-Za-z0-9_\-]{5,20}",
        r"(?<![\d.])1[3-9]\d{9}(?!\d)",
        r"(?:电话|热线|手机|联系方式|咨询)\s*[:：]?\s*(?:\d{3,4}[-－—]?)?\d{7,8}(?!\d)",
        r"https?://[^\s\u3000，。；）]+",
        r"www\.[A-Za-z0-9\-.]+(?:/[^\s\u3000，。；）]*)?",
        r"(?<![A-Za-z0-9@.])[A-Za-z0-9\-]{2,}\.(?:com|cn|net|org|cc|top|vip)(?:\.cn)?(?![A-Za-z])",
        r"[A-Za-z0-9._\-]+@[A-Za-z0-9\-]+\.[A-Za-z.]+",
    ]
    return re.compile("|".join(contact + phrases), re.M)


_SENT_END = re.compile(r"[。！？!?\n]")


# Literal pieces one of which every foreign-content rule contains; lines without any are skipped.
_FOREIGN_LITERALS = (
    "文库 道客 豆丁 原创力 范文 文秘 公文网 写作网 文档 资料分享 资料下载 本资料 该资料 下载 可编辑 会员 侵权 "
    "删除 版权 转载 仅供 扫码 扫描 公众号 二维码 客服 红包 优惠 限时 限量 代写 查重 更多精 更多优 更多范 "
    "更多资 更多内 点击 原文 淘宝 天猫 拼多多 抖音 快手 加群 扣扣 微信 薇信 威信 V信 "
    "付费 试读 登录 全文 完整 范文 文库 文秘 公文 写作 材料网 出自 来自 转自 摘自 "
    "纠错 责任编辑 阅读下 阅读上 新闻链接 "
    "娱乐 百家乐 葡京 太阳城 皇冠 投注 时时彩 六合彩 博彩 彩金 首存 开户送 注册送 游艺 棋牌 赌场"
).split()
_FOREIGN_TRIGGER = re.compile(r"\d{7}|[A-Za-z@\u200b-\u200f\u2060\ufeff]")


@cache
def _foreign_automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for i, lit in enumerate(_FOREIGN_LITERALS):
        auto.add_word(lit, i)
    auto.make_automaton()
    return auto


# pyahocorasick copies the whole haystack to 4-byte characters: 29 MB for a 7 M-character
# document, which glibc then keeps.  Searching line-aligned blocks bounds that copy; the hits
# are the same because no key of the proofreader's automata spans a line break.
AHO_BLOCK = 1 << 16


def automaton(entries: Iterable[tuple[str, object]]) -> ahocorasick.Automaton:
    """An Aho–Corasick automaton of (key, value) entries, ready to search (a later value for the
    same key replaces an earlier one, as add_word does)."""
    auto = ahocorasick.Automaton()
    for key, value in entries:
        auto.add_word(key, value)
    auto.make_automaton()
    return auto


def aho_iter(auto: ahocorasick.Automaton, text: str) -> Iterator[tuple[int, object]]:
    """``auto.iter(text)``, fed line-aligned blocks of about AHO_BLOCK characters."""
    n = len(text)
    if n <= AHO_BLOCK:
        yield from auto.iter(text)
        return
    start = 0
    while start < n:
        cut = text.find("\n", start + AHO_BLOCK)
        end = n if cut < 0 else cut + 1
        for e, value in auto.iter(text[start:end]):
            yield e + start, value
        start = end


def lines_at(text: str, positions: Iterable[int]) -> list[tuple[int, int]]:
    """(start, end) of the distinct lines holding the given positions, in order."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    cur_end = -1
    for p in sorted(positions):
        if p <= cur_end:
            continue  # same line as the previous position: no rescan (keeps a huge line linear)
        # cur_end is the previous line's "\n", so the backward search stops there
        ls = text.rfind("\n", max(cur_end, 0), p) + 1
        le = text.find("\n", p)
        cur_end = n if le < 0 else le
        spans.append((ls, cur_end))
    return spans


# Whole lines that are page furniture, not document text: vendor metadata (发布时间/来源/字号 …),
# the buttons of a news page, collection markers of a template site (篇一：), breadcrumbs.
_META_LINE = re.compile(
    r"^[ \t\u3000]*(?:"
    # vendor metadata: a label and a short value (a web date 2024-05-08, a source, an editor)
    r"(?:发布时间|发布日期|更新时间|发表时间|时间|日期)[:：]\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d\d(?::\d\d)?)?"
    r"(?:\s+(?:来源|作者|编辑|浏览|点击)[:：]?[^\n]{0,30})*"
    r"|(?:来源|信息来源|文章来源|稿件来源|出处|责任编辑|编辑|作者|审核|浏览次数|点击数|阅读次数|访问量|阅读量)[:：][^\n]{0,30}"
    r"|【?字号[:：]?[ 　]*(?:大[ 　]*中[ 　]*小|默认)?】?|[【】|｜]|加大|还原|减小|默认|超大|下载|打印|全屏|收藏|分享(?:到)?[:：]?|关闭(?:窗口)?"
    r"|\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d\d(?::\d\d)?)?"
    r"|(?:来源|信息来源|文章来源)[:：]?[ \t\u3000]*\n[^\n，。；！？]{1,12}"
    r"|【打印本页】.*|【关闭窗口】.*|扫一扫在手机(?:上)?打开当前页|相关(?:报道|阅读|链接|文章)[:：]?|返回顶部|上一篇[:：].*|下一篇[:：].*"
    # collection markers: the n-th piece of a template site's collection
    r"|【?(?:篇|范文|精选范文)[一二三四五六七八九十\d]{1,3}】?[:：]?.{0,30}"
    # breadcrumbs: 当前位置：首页 > … or 首页 > 新闻中心 > 正文
    r"|(?:当前位置|您的位置|你的位置|所在位置|您当前的位置)[:：].*"
    r"|首页\s*[>＞»/]\s*\S.{0,60}"
    r")[ \t\u3000]*$",
    re.M,
)


def find_foreign(text: str) -> Iterator[Raw]:
    for m in _META_LINE.finditer(text):
        if m.end() > m.start():
            s = m.start()
            while text[s] in " \t\u3000":
                s += 1
            yield (
                s,
                m.end(),
                "foreign-content",
                "",
                "疑似网页或模板残留（来源、时间、字号、导航等），建议删除",
            )
    pos = [end for end, _ in aho_iter(_foreign_automaton(), text)]
    pos.extend(m.start() for m in _FOREIGN_TRIGGER.finditer(text))
    for ls, le in lines_at(text, pos):
        yield from _foreign_in(text, ls, le)


def _foreign_in(text: str, ls0: int, le0: int) -> Iterator[Raw]:
    last_end = -1
    for m in _foreign_re().finditer(text, ls0, le0):
        if m.start() < last_end:
            continue
        # Widen to the clause the watermark sits in, so accepting the finding removes it whole.
        s = m.start()
        ls, le = ls0, le0
        if le - ls <= 60:
            s, e = ls, le
        else:
            prev = max(text.rfind(ch, max(ls, s - 300), s) for ch in "。！？!?")
            s = prev + 1 if prev >= 0 else m.start()
            nxt = _SENT_END.search(text, m.end(), min(le, m.end() + 300))
            e = nxt.end() if nxt and nxt.group() != "\n" else (nxt.start() if nxt else m.end())
        while s < e and text[s] in " \u3000\t":
            s += 1
        while e > s and text[e - 1] in " \u3000\t\r":
            e -= 1
        last_end = e
        yield (s, e, "foreign-content", None, "疑似广告、水印或联系方式等无关内容，建议删除")


# --- punctuation -----------------------------------------------------------------------------
_HALF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF_RE = re.compile(rf"(?<={CJK_RE})[,;:?!]|[,;:?!](?={CJK_RE})|(?<=[，。；：、])[,;:?!]")
_PAREN_RE = re.compile(r"\(([^()\n]{0,60})\)")
_CJK_ONE = re.compile(CJK_RE)
# 等 closing a list, not 等 as the first morpheme of a word (等离子体, 等级, 等额 …: "equal")
_ETC_RE = re.compile(r"、(?=等(?!离子|级|额|量|效|价|值|高线|边|温|压|比|差|分|距|身|外|速|候|待))")
_SPACE_AFTER_DUN = re.compile(r"(?<=、)[ \u3000\t]+")
_QUOTE_DUN = re.compile(r"(?<=[”》])、(?=[“《])|(?<=[\"])、(?=[\"])")
# A broken 破折号 between Chinese characters: doubled hyphens or box-drawing lines.  A single
# "—", "–", "-", "－" or "～" is the 连接号 of GB/T 15834-2011 4.13 (北京—上海, 2020—2025年) and
# is correct.
_DASH_RE = re.compile(rf"(?<={CJK_RE})(?:-{{2,3}}|－{{2}}|─{{1,2}})(?={CJK_RE})")
_DOUBLE_RE = re.compile(r"([，。；、：！？])(?=[，。；、：])")
_BOOK_RE = re.compile(r"<<|>>|〈〈|〉〉|《《|》》")
_PERIOD_RE = re.compile(rf"(?<={CJK_RE})\.(?![\d.A-Za-z])")
_STRAIGHT_Q = re.compile(r"[\"']")
_HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|第[一二三四五六七八九十]+[章节条部]|[①-⑳])"
)


def _has_cjk(s: str) -> bool:
    return _CJK_ONE.search(s) is not None


_ASCII_PUNCT = re.compile(r"[,;:?!()\"'<>.~\-—－─～]")


def find_punctuation(text: str) -> Iterator[Raw]:
    for ls, le in trigger_lines(text, _ASCII_PUNCT):
        yield from _ascii_punct_in(text, ls, le)
    for m in _ETC_RE.finditer(text):
        yield (m.start(), m.end(), "punctuation", "", "“等”前不用顿号")
    for m in _SPACE_AFTER_DUN.finditer(text):
        yield (m.start(), m.end(), "punctuation", "", "顿号后不应有空格")
    for m in _QUOTE_DUN.finditer(text):
        # GB/T 15834-2011 4.5.3.5 allows leaving it out; the Party's and the State's own texts
        # mostly keep it, so this is house style, reported only at the style level
        yield (
            m.start(),
            m.end(),
            "punctuation",
            "",
            "并列的引号或书名号之间可不用顿号（GB/T 15834-2011）",
            "style",
        )
    for m in _DOUBLE_RE.finditer(text):
        yield (m.start(), m.end() + 1, "punctuation", None, "标点重复或连用不当")
    for m in _BOOK_RE.finditer(text):
        good = "《" if m.group() in ("<<", "〈〈", "《《") else "》"
        yield (m.start(), m.end(), "punctuation", good, "书名号应为“《》”")
    yield from _quotes_and_closers(text)


def _ascii_punct_in(text: str, ls: int, le: int) -> Iterator[Raw]:
    for m in _HALF_RE.finditer(text, ls, le):
        ch = m.group()
        s = m.start()
        # 8:30, 1:1000, a URL — half-width colon between digits or Latin is fine
        if ch == ":" and s > 0 and s + 1 < len(text) and text[s - 1].isascii() and text[s + 1].isascii():
            continue
        yield (s, s + 1, "punctuation", _HALF[ch], f"中文语句中应使用全角“{_HALF[ch]}”")
    for m in _PAREN_RE.finditer(text, ls, le):
        inner = m.group(1)
        s, e = m.start(), m.end()
        around = text[max(0, s - 1) : s] + text[e : e + 1]
        if _has_cjk(inner) or (_has_cjk(around) and re.fullmatch(r"[\d一二三四五六七八九十]{1,3}", inner)):
            yield (s, s + 1, "punctuation", "（", "中文语句中应使用全角括号“（）”")
            yield (e - 1, e, "punctuation", "）", "中文语句中应使用全角括号“（）”")
    for m in _DASH_RE.finditer(text, ls, le):
        yield (m.start(), m.end(), "punctuation", "——", "破折号应为“——”（两个全角长划）")
    for m in _PERIOD_RE.finditer(text, ls, le):
        yield (m.start(), m.end(), "punctuation", "。", "中文句末应使用句号“。”")


def _quotes_and_closers(text: str) -> Iterator[Raw]:
    pos = 0
    body_started = False
    lines = text.split("\n")
    for li, line in enumerate(lines):
        ls = pos
        pos += len(line) + 1
        if not line.strip() or not _has_cjk(line):
            continue
        # straight quotes in Chinese text → “ ” / ‘ ’ (pair them in order)
        if '"' in line or "'" in line:
            opened = {'"': False, "'": False}
            for m in _STRAIGHT_Q.finditer(line):
                q = m.group()
                i = m.start()
                near = line[max(0, i - 1) : i + 2]
                if not _has_cjk(near):
                    continue
                sug = ("”" if opened[q] else "“") if q == '"' else ("’" if opened[q] else "‘")
                opened[q] = not opened[q]
                yield (ls + i, ls + i + 1, "punctuation", sug, "中文语句中应使用中文引号")
        # unbalanced curly quotes or book-title marks inside one paragraph
        for o, c, name in (("“", "”", "引号"), ("《", "》", "书名号")):
            no, nc = line.count(o), line.count(c)
            # a quotation running over several paragraphs opens each of them and closes only
            # the last (GB/T 15834-2011 on 引号)
            if o == "“" and no == nc + 1 and _next_opens_quote(lines, li):
                continue
            if no != nc:
                # point at the mark that has no partner
                depth = 0
                bad = None
                for i, ch in enumerate(line):
                    if ch == o:
                        if depth == 1 and o == "“":
                            bad = i
                            break
                        depth += 1
                    elif ch == c:
                        if depth == 0:
                            bad = i
                            break
                        depth -= 1
                if bad is None:
                    bad = line.rfind(o)
                if bad >= 0:
                    yield (ls + bad, ls + bad + 1, "punctuation", None, f"{name}不成对")
        # a body paragraph must end with a closing mark.  The lines above the first one that
        # ends with a mark are the document's title block when more text follows them (a news
        # item's headline and sub-headlines, a report's long title), and titles take none.
        stripped = line.rstrip(" \u3000\t\r")
        if stripped and stripped[-1] in CLOSERS:
            body_started = True
        elif (
            len(stripped) >= 40
            and (body_started or not text[pos:].strip())
            and _has_cjk(stripped[-1])
            and "，" in stripped
            and not _HEADING_START.match(stripped)
        ):
            i = ls + len(stripped) - 1
            yield (i, i + 1, "punctuation", None, "段落末尾缺少句末标点")


def _next_opens_quote(lines: list[str], i: int) -> bool:
    for nxt in lines[i + 1 :]:
        if nxt.strip():
            return nxt.lstrip(" \u3000\t").startswith("“")
    return False


# --- dates -----------------------------------------------------------------------------------
_DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})年(\d{1,2})月(?:(\d{1,2})日)?")
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def find_dates(text: str) -> Iterator[Raw]:
    for m in _DATE_RE.finditer(text):
        mo = m.group(2)
        d = m.group(3)
        month = int(mo)
        if not 1 <= month <= 12:
            yield (m.start(2), m.end(2), "date", None, "月份无效")
            continue
        if d is not None and not 1 <= int(d) <= _DAYS[month - 1]:
            yield (m.start(3), m.end(3), "date", None, "日期无效")
            continue
        if mo.startswith("0") or (d and d.startswith("0")):
            fixed = f"{m.group(1)}年{month}月" + (f"{int(d)}日" if d else "")
            yield (m.start(), m.end(), "date", fixed, "日期中的月、日不加“0”（GB/T 9704-2012 7.3.5.4）")
