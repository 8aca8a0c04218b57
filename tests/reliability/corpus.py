"""The bad input corpus: what real scraping produces, generated at test time.

`build(root)` writes every file and returns what importing each should give: how many
articles, the exact stored text where it is known, and the errors and warnings (by a
word of their message). Everything is generated from fixed seeds, so runs are repeatable;
the large single-line file is written here, never committed.
"""

from __future__ import annotations

import codecs
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

# Each article's text is unique (it names its case), so none collapses into another.
ZH = ("香港劳工及福利局于去年11月发布的最新一轮人力推算报告，预计到2028年，香港整体人力短缺达18万人。\n"
      "创科业界的人力需求预计将由2023年的6.02万人增至2028年的9.64万人。\n")
ZH_HK = ("香港勞工及福利局於去年11月發佈的最新一輪人力推算報告，預計到2028年，香港整體人力短缺達18萬人。\n"
         "創科業界的人力需求預計將由2023年的6.02萬人增至2028年的9.64萬人。\n")
EN = ("Last year, the Science and Technology Park held 1,100 positions and received 70,000 "
      "applications.\nThe fund grew by 12% to HK$3.4 billion in 2024.\n")
MARKUP = ("Markup test <script>alert('x')</script> <img src=x onerror=alert(1)> <b>bold</b> "
          "<style>body{display:none}</style> &lt;escaped&gt; &amp;\n"
          "<b>Revenue</b> rose 12% to HK$3 billion, <i>officials</i> said.\n")
ASTRAL = ("😀😀 𠮷野家 sold 1,200 bowls 🇭🇰 in 2024.\n"
          "👩‍👩‍👧‍👦 Families 👍🏽 grew by 4.3% to 5.02万 人。\n"
          "𝐁𝐨𝐥𝐝 𝟓 and 𠀋 then the fund grew by 7% to 3,400 members.\n")


@dataclass
class Expect:
    """What importing one file gives."""

    path: Path
    articles: int = 0
    errors: tuple[str, ...] = ()          # a word of each error's message, in order
    warnings: tuple[str, ...] = ()        # a word of each warning's message
    texts: tuple[str, ...] = ()           # exact stored texts, when known
    error_sources: tuple[str, ...] = ()   # what each error names besides the file (a line)
    figures: tuple[str, ...] = ()         # figure surfaces that must be found in its text


@dataclass
class Corpus:
    root: Path
    cases: list[Expect] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return sum(c.articles for c in self.cases)

    @property
    def errors(self) -> int:
        return sum(len(c.errors) for c in self.cases)

    def case(self, name: str) -> Expect:
        return next(c for c in self.cases if c.path.name == name)


def build(root: Path, *, big_mb: int = 50) -> Corpus:
    root.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(root)
    for make in (_empty_and_binary, _encodings, _big, _records, _markup, _paths_and_offsets,
                 _special_files):
        corpus.cases.extend(make(root, big_mb))
    return corpus


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _text(name: str, body: str) -> str:
    return f"{name}\n{body}"


def _empty_and_binary(root: Path, _mb: int) -> list[Expect]:
    rng = random.Random(7)
    d = root / "bad"
    en = _text("nul bytes", EN).encode()
    return [
        Expect(_write(d / "empty.txt", b""), errors=("empty",)),
        Expect(_write(d / "whitespace.txt", " \n\t\r\n  \u3000\n".encode()),
               errors=("empty",)),
        Expect(_write(d / "bom_only.txt", codecs.BOM_UTF8), errors=("empty",)),
        Expect(_write(d / "random.txt", rng.randbytes(8192)), errors=("binary",)),
        Expect(_write(d / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(4000)),
               errors=("binary",)),
        Expect(_write(d / "archive.jsonl", b"\x1f\x8b\x08\x00\x00\x00\x00\x00" + rng.randbytes(3000)),
               errors=("binary",)),
        Expect(_write(d / "nul.txt", en + b"\x00\x00" + en), articles=1,
               texts=((en + en).decode(),), warnings=("NUL",)),
    ]


def _encodings(root: Path, _mb: int) -> list[Expect]:
    d = root / "encodings"
    cases = []

    def exact(name: str, text: str, data: bytes, warnings: tuple[str, ...] = ()) -> None:
        cases.append(Expect(_write(d / name, data), articles=1, texts=(text,), warnings=warnings))

    zh = _text("gb18030", ZH + "GB18030 编码扩展字：𠮷 与 € 符号，增长3%。\n")
    exact("gb18030.txt", zh, zh.encode("gb18030"))
    short = "今年增长5%。"
    exact("gb18030_headline.txt", short, short.encode("gb18030"))
    hk = _text("big5", ZH_HK)
    exact("big5.txt", hk, hk.encode("big5"))
    hkscs = _text("big5hkscs", ZH_HK + "佢哋喺度食咗飯，呢度係屋邨，增長4%。\n")
    exact("big5hkscs.txt", hkscs, hkscs.encode("big5hkscs"))
    for codec, bom in (("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)):
        t = _text(f"{codec} with BOM", ZH + EN)
        exact(f"{codec}_bom.txt", t, bom + t.encode(codec))
        t = _text(f"{codec} without BOM", ZH + EN)
        exact(f"{codec}_nobom.txt", t, t.encode(codec))
    t = _text("utf-8 with BOM", ZH)
    exact("utf8_bom.txt", t, codecs.BOM_UTF8 + t.encode())
    t = _text("cp1252 “smart quotes”", "The café’s revenue rose 5% — to €3 million.\n")
    exact("cp1252.txt", t, t.encode("cp1252"))
    # valid UTF-8 with a few broken sequences in the middle (a bad copy, a cut scrape)
    good = _text("broken utf-8", ZH * 3).encode()
    data = good[:200] + b"\xff\xfe" + good[200:400] + b"\xc3" + good[400:]
    exact("broken_utf8.txt", data.decode("utf-8", errors="replace"), data,
          warnings=("replaced",))
    return cases


def _big(root: Path, big_mb: int) -> list[Expect]:
    d = root / "big"
    rng = random.Random(11)
    huge = d / "huge_single_line.txt"
    huge.parent.mkdir(parents=True, exist_ok=True)
    line = "A single line without any line break, 3% of it repeated. " * 1000
    chunk = line.encode()
    with open(huge, "wb") as f:
        for _ in range(big_mb * 1024 * 1024 // len(chunk) + 1):
            f.write(chunk)
    # a long line that is still one article: varied sentences, no line break
    words = ["revenue", "jobs", "members", "visitors", "exports", "funding", "applications"]
    sentences = [f"Item {i}: {rng.choice(words)} rose {rng.randint(1, 99)}% to "
                 f"{rng.randint(2, 900):,} {rng.choice(words)} in {rng.randint(1990, 2030)}."
                 for i in range(2500)]
    long_text = " ".join(sentences)
    # a byline padded with a long run of spaces, as table cells often arrive
    padded = "By KATHY ZHANG in Hong Kong" + " " * 200_000 + "\nThe budget rose 8%.\n"
    # a page with more text than an article: refused before the HTML parser sees it
    paragraphs = "".join(f"<p>Paragraph {i}: revenue rose {i % 97}% to {i} million.</p>\n"
                         for i in range(60_000))
    page = f"<html><head><title>Everything</title></head><body>{paragraphs}</body></html>"
    return [
        Expect(huge, errors=("too long",)),
        Expect(_write(d / "huge_page.html", page.encode()), errors=("too long",)),
        Expect(_write(d / "long_single_line.txt", long_text.encode()), articles=1,
               texts=(long_text,)),
        Expect(_write(d / "padded_byline.txt", padded.encode()), articles=1, texts=(padded,),
               figures=("8%",)),
    ]


def _records(root: Path, _mb: int) -> list[Expect]:
    d = root / "records"
    lines = [
        json.dumps({"text": _text("jsonl good one", "Sales rose 4%."), "title": "one"}),
        '{"text": "broken line, no closing quote',
        json.dumps({"content": _text("jsonl good three", "7 people came.")}),
        json.dumps({"text": "a NUL \u0000 inside"}),
        '{"text": "jsonl cut emoji \\ud83d here, 9% up", "title": "half \\udc00"}',
        "[" * 100_000,
        json.dumps([1, 2, 3]),
        json.dumps({"title": "no text at all"}),
        "",
        json.dumps({"text": _text("jsonl good ten", "Up 10%."), "url": "https://example.com/10"}),
    ]
    jsonl = _write(d / "feed.jsonl", ("\n".join(lines) + "\n").encode())
    csv_text = ('title,text,url\n'
                'ok,"csv good row, 5% up",https://example.com/a\n'
                'bad,"never closed quote, 6% up\n')
    return [
        Expect(jsonl, articles=4,
               errors=("invalid JSON", "NUL", "nested too deeply", "expected a JSON object",
                       "no 'text'"),
               error_sources=tuple(f": line {n}: " for n in (2, 4, 6, 7, 8)),
               warnings=("surrogate",),
               texts=(_text("jsonl good one", "Sales rose 4%."),
                      _text("jsonl good three", "7 people came."),
                      "jsonl cut emoji \ufffd here, 9% up",
                      _text("jsonl good ten", "Up 10%."))),
        Expect(_write(d / "scalar.json", b"42"), errors=("expected a JSON object",)),
        Expect(_write(d / "sheet.csv", csv_text.encode()), articles=2,
               texts=("csv good row, 5% up", "never closed quote, 6% up\n")),
    ]


def _markup(root: Path, _mb: int) -> list[Expect]:
    d = root / "markup"
    page = """<!doctype html><html><head><meta charset="utf-8"><title>Budget news</title>
<style>body { color: red } .evil::after { content: "STYLE-42%" }</style>
<script>document.write("SCRIPT-99%"); fetch("https://example.com/steal");</script>
</head><body><nav>Home | News | Sport</nav>
<article><h1>Budget news</h1>
<p onclick="alert('HANDLER')">The government said revenue rose 12% to HK$3.4 billion in 2024,
the highest in a decade, and hired 1,200 more workers.</p>
<script>var hidden = "INLINE-77%";</script><noscript>NOSCRIPT-55%</noscript>
<!-- COMMENT-66% -->
<p>Officials expect growth of 3.5% next year, according to the budget papers.</p>
</article><footer>All rights reserved</footer></body></html>"""
    empty = "<html><head><title>x</title></head><body><nav>Home</nav></body></html>"
    tags = _text("tags in plain text", MARKUP)
    return [
        Expect(_write(d / "page.html", page.encode()), articles=1, figures=("12%",)),
        Expect(_write(d / "no_text.html", empty.encode()), errors=("no article text",)),
        Expect(_write(d / "tags.txt", tags.encode()), articles=1, texts=(tags,),
               figures=("12%",)),
    ]


def _paths_and_offsets(root: Path, _mb: int) -> list[Expect]:
    d = root / "dir with spaces" / "子目录 中文"
    astral = _text("emoji and astral", ASTRAL)
    crlf = _text("crlf", EN).replace("\n", "\r\n")
    cr = _text("cr only", EN).replace("\n", "\r")
    seps = "separators\u2028The fund\u2029grew 6%\x85to 3,400\x0cmembers\x0bin 2024.\u200b\u200e\n"
    mixed = _text("combining and rtl", "Cafe\u0301 e\u0301 \u05e9\u05dc\u05d5\u05dd 12% "
                                       "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 5.02万\n")
    record = {"text": _text("jsonl in a non-ASCII path", "Up 15% 😀.")}
    return [
        Expect(_write(d / "文章 一.txt", astral.encode()), articles=1, texts=(astral,),
               figures=("1,200", "4.3%", "7%", "3,400")),
        Expect(_write(d / "crlf.txt", crlf.encode()), articles=1, texts=(crlf,), figures=("12%",)),
        Expect(_write(d / "cr only.txt", cr.encode()), articles=1, texts=(cr,), figures=("12%",)),
        Expect(_write(d / "separators.txt", seps.encode()), articles=1, texts=(seps,)),
        Expect(_write(d / "combining.txt", mixed.encode()), articles=1, texts=(mixed,)),
        Expect(_write(root / "名字 with spaces.jsonl", (json.dumps(record) + "\n").encode()),
               articles=1, texts=(record["text"],)),
    ]


def _special_files(root: Path, _mb: int) -> list[Expect]:
    d = root / "special"
    d.mkdir(parents=True, exist_ok=True)
    out = []
    if hasattr(os, "mkfifo"):
        fifo = d / "pipe.txt"
        os.mkfifo(fifo)
        out.append(Expect(fifo, errors=("not a regular file",)))
    if hasattr(os, "symlink"):
        link = d / "dangling.txt"
        os.symlink(d / "gone.txt", link)
        out.append(Expect(link, errors=("cannot read",)))
    return out
