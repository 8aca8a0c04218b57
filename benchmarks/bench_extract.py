"""Measure HTML main-text extraction and titles over the real-news corpus's pages.

For every page under `html/en`, `html/zh-hans` and `html/zh-hant` of the corpus
(`../shared/realnews/` next to the repository; `--corpus DIR` or `$ANNOTATOR_REALNEWS`),
each extractor's text is judged on whether it holds the article's body:

- English pages with a ground truth (scrapinghub's `articleBody`): token recall, the share
  of the ground truth's word tokens (as a multiset) found in the extraction. A page holds
  its body at recall >= 0.9.
- every other page: the page's longest paragraph (the longest text of a `<p>` element,
  white space removed) is in the extraction, or 90 % of its 8-character shingles are; and
  a few short body snippets read off pages where the longest paragraph is not the article
  (`SNIPPETS`) are all in it.

Extractors: trafilatura with favor_precision, its default, favor_recall, gne (if
installed), and `stored`: what `annotator.readers.read_file` stores. Titles: the share of
pages whose stored title carries no site or section name (no separator piece equal to, or
inside, og:site_name / application-name, and not only a site or section name).

Prints JSON per folder and overall; `--pages` adds each page's result.

    python benchmarks/bench_extract.py [--corpus DIR] [--pages] [--only stored]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.readers import read_file  # noqa: E402
from annotator.domain import RawArticle  # noqa: E402
from annotator.text.decode import decode_bytes  # noqa: E402

FOLDERS = ("en", "zh-hans", "zh-hant")
# Short sentences of the body, checked by reading the page, for pages where the longest
# <p> is not enough (the body is split by images, or its end was lost).
# Where a page has snippets, they decide (its longest <p> is a sidebar, a disclaimer or
# a script there).
SNIPPETS = {
    "gne_thepaper_4.html": ["770米", "22.5万总吨", "1800人"],
    "gne_thepaper_3.html": ["坚持和完善中国特色社会主义制度、推进国家治理体系"],
    "gne_163_1.html": ["龙湖实现合约销售金额1056.2亿元"],
    "gerapy_ifeng_news1_detail_20220630.html": ["故宫迎来了建院94年以来的首次", "单霁翔又立下了新的flag"],
    "gne_guancha_3.html": ["大多数指控都是错误的", "尚未收到回应"],
    "gne_mingridapan_1.html": ["联合国贸发会议发布了", "全球贸易增长也将严重减缓"],
    "gne_readhub_readhub.html": ["禁止终端补贴"],
    "gne_shanxi_1.html": ["刷新“走出去”的最远纪录", "南美站活动将先后在巴西"],
    "newspaper4k_chinese_article.html": ["就其大宅的违章建筑", "对梁振英提出不信任动议"],
    "readability_qq.html": ["能够用自己的记忆学习新知识", "已将其研究结果发表在科学刊物"],
    "hkb_hkej.html": ["劍指保險機構違規投資", "未按規定進行監管報告"],
    "hkn_headline_details.html": ["可能仍然有一千五百名隱性患者", "港版方艙醫院"],
    "hkn_hkej_details.html": ["恢復內地旅客來港轉機"],
    "hkn_singtao_details.html": ["返回何文田嘉道理道大宅休息", "三人亦被沒收護照"],
    "twnews_appledaily.html": ["先吞服10顆安眠藥後", "檢警將進行相驗釐清死因"],
    # the first of ten slides (the others are in a script); the default extraction keeps
    # only a list of other headlines
    "gne_toutiao_2.html": ["为能够吸引中国游客到来而绞尽脑汁的时候", "乌兰巴托的生活成本并不会很低"],
    # the article is in #js_content, which no extractor here reads
    "gne_wechat_1.html": ["三星在美国旧金山举行发布会"],
}
# Words that make a title's end piece a site or section name (for judging titles only;
# the reader uses no such list): "_网易新闻", " - 東方日報", "| 中央社 CNA".
_SITE_WORD = re.compile(r"(网|網|网站|網站|日报|日報|新闻|新聞|频道|頻道|官网|官網|商报|資訊|资讯"
                        r"|news|times|cna|\.com|\.net|online|hkej|digg|the paper)\W*$", re.I)
_WS = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+", re.UNICODE)
_SEP = re.compile(r"\s+[-–—|｜·]\s+|_|｜|\s*\|\s*")


def _squash(s: str) -> str:
    return _WS.sub("", s or "")


def _longest_p(html: str) -> str:
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except Exception:
        return ""
    best = ""
    for p in tree.iter("p"):
        t = _squash(p.text_content())
        if len(t) > len(best):
            best = t
    return best


def _contains(hay: str, needle: str) -> bool:
    if not needle:
        return True
    if needle in hay:
        return True
    n = 8
    if len(needle) < 2 * n:
        return False
    shingles = [needle[i:i + n] for i in range(0, len(needle) - n + 1, 4)]
    return sum(s in hay for s in shingles) >= 0.9 * len(shingles)


def _recall(truth: str, text: str) -> float:
    want = Counter(t.lower() for t in _TOKEN.findall(truth))
    have = Counter(t.lower() for t in _TOKEN.findall(text or ""))
    total = sum(want.values())
    return sum(min(c, have[t]) for t, c in want.items()) / total if total else 1.0


def _trafilatura(html: str, mode: str) -> str:
    import trafilatura

    kw = {"favor_precision": True} if mode == "precision" else \
        {"favor_recall": True} if mode == "recall" else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = trafilatura.bare_extraction(html, include_comments=False, include_tables=True,
                                          with_metadata=True, **kw)
    return (doc.text if doc is not None else "") or ""


def _gne(html: str) -> str | None:
    try:
        from gne import GeneralNewsExtractor
    except ImportError:
        return None
    try:
        return GeneralNewsExtractor().extract(html).get("content") or ""
    except Exception:
        return ""


def _stored(path: Path) -> tuple[str, str | None]:
    for item in read_file(path):
        if isinstance(item, RawArticle):
            return item.text, item.title
    return "", None


def _site_names(html: str) -> list[str]:
    names = []
    for m in re.finditer(r"<meta[^>]+>", html, re.IGNORECASE):
        tag = m.group()
        if re.search(r"""(property|name)\s*=\s*["']?(og:site_name|application-name|"""
                     r"""twitter:site)\b""", tag, re.IGNORECASE):
            c = re.search(r"""content\s*=\s*(["'])(.*?)\1""", tag, re.IGNORECASE | re.DOTALL)
            if c and c.group(2).strip():
                names.append(c.group(2).strip().lstrip("@"))
    return names


def _title_ok(title: str | None, sites: list[str]) -> tuple[bool, str]:
    if not title:
        return False, "no title"
    pieces = [p.strip() for p in _SEP.split(title) if p.strip()]
    if len(pieces) > 1 and any(_SITE_WORD.search(p) and len(p) <= 20
                               for p in (pieces[0], pieces[-1])):
        return False, "site word in an end piece"
    if len(title) <= 4 or _SITE_WORD.search(title) and len(title) <= 12:
        return False, "only a site or section name"
    for site in sites:
        s = site.lower()
        if s == title.strip().lower() and len(s) > 30:
            continue  # the page's meta gives its headline as the site's name
        if title.strip().lower() == s:
            return False, "only the site name"
        if len(pieces) > 1:
            for p in (pieces[0], pieces[-1]):
                pl = p.lower()
                if pl == s or (len(pl) >= 2 and (pl in s or s in pl)):
                    return False, f"site piece {p!r}"
    return True, ""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=os.environ.get("ANNOTATOR_REALNEWS",
                                                        str(ROOT.parent / "shared" / "realnews")))
    ap.add_argument("--pages", action="store_true", help="print each page's result")
    ap.add_argument("--only", nargs="*", help="extractors to run (default: all)")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    truth = json.loads((corpus / "ground-truth" / "scrapinghub_en_html.json").read_text("utf-8"))
    extractors = args.only or ["precision", "default", "recall", "gne", "stored"]
    result: dict = {}
    pages = []
    for folder in FOLDERS:
        files = sorted((corpus / "html" / folder).glob("*.htm*"))
        stats = {x: {"holds_body": 0, "recall": []} for x in extractors}
        titles_ok = 0
        seconds = Counter()
        for f in files:
            html = decode_bytes(f.read_bytes()).text
            gt = truth.get(f.name, {}).get("articleBody")
            para = "" if gt else _longest_p(html)
            row = {"page": f"{folder}/{f.name}"}
            for x in extractors:
                t0 = time.perf_counter()
                if x == "stored":
                    text, title = _stored(f)
                    ok, why = _title_ok(title, _site_names(html))
                    titles_ok += ok
                    row["title"] = title
                    if not ok:
                        row["title_problem"] = why
                elif x == "gne":
                    text = _gne(html)
                    if text is None:
                        continue
                else:
                    text = _trafilatura(html, x)
                seconds[x] += time.perf_counter() - t0
                if gt:
                    r = _recall(gt, text)
                    stats[x]["recall"].append(r)
                    held = r >= 0.9
                    row[x] = round(r, 3)
                else:
                    flat = _squash(text)
                    snips = SNIPPETS.get(f.name)
                    held = all(s in flat for s in snips) if snips else _contains(flat, para)
                    row[x] = held
                stats[x]["holds_body"] += held
            pages.append(row)
        out = {"pages": len(files)}
        for x, s in stats.items():
            if x == "gne" and not s["holds_body"] and not s["recall"] and _gne("<p>x</p>") is None:
                continue
            entry = {"holds_body": s["holds_body"], "seconds": round(seconds[x], 2)}
            if s["recall"]:
                entry["recall_median"] = round(statistics.median(s["recall"]), 4)
                entry["recall_mean"] = round(statistics.fmean(s["recall"]), 4)
            out[x] = entry
        if "stored" in extractors:
            out["titles_without_site"] = titles_ok
        result[folder] = out
    total = {"pages": sum(r["pages"] for r in result.values())}
    for x in extractors:
        if all(x in r for r in result.values()):
            total[x] = {"holds_body": sum(r[x]["holds_body"] for r in result.values())}
    if "stored" in extractors:
        n = sum(r["titles_without_site"] for r in result.values())
        total["titles_without_site"] = n
        total["titles_without_site_share"] = round(n / total["pages"], 3)
    result["all"] = total
    if args.pages:
        result["per_page"] = pages
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
