"""Reading input files into raw articles.

One bad file or one bad record never stops the others: readers yield `ReadError`s in
line with the articles, each naming the file (and line) and what is wrong with it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Union
from collections.abc import Iterable, Iterator

from annotator.domain import RawArticle
from annotator.text.decode import DecodeError, decode_bytes
from annotator.text.safe import printable

TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".jsonl", ".ndjson", ".json"}
CSV_SUFFIXES = {".csv", ".tsv"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | CSV_SUFFIXES
# Inside a folder these describe the folder, not an article (name them explicitly to import).
DOC_STEMS = {"readme", "license", "licence", "changelog", "contributing", "authors"}
# What Python leaves in a folder that is also a package (the bundled samples are one):
# never an article, so passed over like hidden entries, without a word.
_PACKAGE_DIRS = {"__pycache__"}
_PACKAGE_FILES = {"__init__.py"}

# Refuse files that cannot be an article: a scrape dump bigger than this is almost
# certainly something else (a database, a video), and reading it would exhaust memory.
MAX_FILE_BYTES = 512 * 1024 * 1024
# Less main text than this is page furniture (a menu, a cookie notice), not an article.
MIN_HTML_TEXT = 25
# More text than this is not one news article but a dump, a log or a book. Refusing it
# keeps one file from occupying an import (and the window) for many minutes.
MAX_ARTICLE_CHARS = 1_000_000
# JSONL dumps larger than this are read line by line, never whole: a 300 MB dump read at
# once costs over a gigabyte of memory (the bytes, the text, the lines).
STREAM_BYTES = 16 * 1024 * 1024
_PREFIX_BYTES = 1024 * 1024
# JSON's \ud83d escapes can leave half of a surrogate pair (a scraper cut an emoji in
# two); no UTF-8 encoder, SQLite's included, accepts one.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


# A file name may hold what would forge or garble a line of the import's report (a
# newline starts a fake "error:" line): it is printed through text.safe.printable.


@dataclass
class ReadError:
    source: str
    message: str

    def __str__(self) -> str:
        return printable(f"{self.source}: {self.message}")


@dataclass
class ReadWarning:
    source: str
    message: str

    def __str__(self) -> str:
        return printable(f"{self.source}: {self.message}")


Item = Union[RawArticle, ReadError, ReadWarning]


def _walk(folder: Path, loops: list[ReadWarning] | None = None) -> Iterator[Path]:
    """The files under a folder, sorted (a folder's files before its subfolders'),
    leaving out hidden entries and Python's. Linked folders are followed, each real
    folder once; a link back to a folder it is inside (a loop) is added to `loops` and
    not followed. A dangling link is yielded as a file: reading it says what is wrong."""
    try:
        top = _identity(folder)
    except OSError:
        return
    seen = {top}
    todo: list[tuple[Path, dict]] = [(folder, {top: folder})]
    while todo:
        here, ancestors = todo.pop()
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        subfolders = []
        for e in entries:
            if e.name.startswith("."):
                continue
            try:
                is_dir = e.is_dir()  # follows links
            except OSError:
                is_dir = False
            if not is_dir:
                if e.name not in _PACKAGE_FILES:
                    yield Path(e.path)
                continue
            if e.name in _PACKAGE_DIRS:
                continue
            try:
                key = _identity(Path(e.path))
            except OSError:
                continue
            if key in ancestors:
                if loops is not None:
                    loops.append(ReadWarning(e.path, f"symbolic link back to {ancestors[key]}, "
                                                     "a folder it is in: not followed (a loop)"))
            elif key not in seen:  # a folder linked from two places is read once
                seen.add(key)
                subfolders.append((Path(e.path), {**ancestors, key: Path(e.path)}))
        todo.extend(reversed(subfolders))


def _identity(folder: Path) -> tuple[int, int]:
    st = folder.stat()
    return st.st_dev, st.st_ino


def _describes_folder(f: Path) -> bool:
    return f.stem.lower() in DOC_STEMS


def collect_files(paths: Iterable[str | os.PathLike],
                  skipped: list[Path] | None = None,
                  notes: list[ReadWarning] | None = None) -> tuple[list[Path], list[ReadError]]:
    """Expand folders recursively (sorted, hidden entries skipped, only known formats,
    linked folders followed once); name each missing path as an error. With `skipped`,
    the files inside the folders that are passed over for their type (a .docx, an image)
    are added to it in the same walk: reported, so that a folder of Word files does not
    import as nothing without a word. A file named on its own is not among them: reading
    it is an error. With `notes`, each link that loops back to a folder it is in is added
    to it, once."""
    paths = [Path(raw) for raw in paths]
    named = {p.resolve() for p in paths if p.is_file()} if skipped is not None else set()
    files: list[Path] = []
    errors: list[ReadError] = []
    seen: set[Path] = set()
    passed_over: set[Path] = set()
    for p in paths:
        if p.is_dir():
            for f in _walk(p, notes):
                if _describes_folder(f):
                    continue
                if f.suffix.lower() in SUPPORTED:
                    _add(f, files, seen)
                elif skipped is not None and f.resolve() not in named:
                    _add(f, skipped, passed_over)
        elif p.is_file():
            _add(p, files, seen)
        elif p.exists():
            errors.append(ReadError(str(p), "not a regular file"))
        else:
            errors.append(ReadError(str(p), "no such file or folder"))
    return files, errors


def skipped_summary(skipped: list[Path]) -> str:
    """'3 file(s) skipped (unsupported type: .bin, .docx)'."""
    kinds = sorted({printable(f.suffix.lower()) for f in skipped if f.suffix})
    if any(not f.suffix for f in skipped):
        kinds.append("no extension")
    return f"{len(skipped)} file(s) skipped (unsupported type: {', '.join(kinds)})"


def _add(f: Path, files: list[Path], seen: set[Path]) -> None:
    key = f.resolve()
    if key not in seen:
        seen.add(key)
        files.append(f)


def read_file(path: Path) -> Iterator[Item]:
    """Articles (or errors/warnings) from one file, by its suffix."""
    source = str(path)
    suffix = path.suffix.lower()
    if suffix and suffix not in SUPPORTED:
        yield ReadError(source, f"unsupported format '{suffix}' (expected one of "
                                f"{', '.join(sorted(SUPPORTED))})")
        return
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            # a named pipe or a device would block the import forever on reading
            yield ReadError(source, "not a regular file")
            return
        size = st.st_size
        if suffix in (".jsonl", ".ndjson") and size > STREAM_BYTES:
            yield from _jsonl_stream(path, source)
            return
        if size > MAX_FILE_BYTES:
            yield ReadError(source, f"file too large ({size // (1024 * 1024)} MB; limit "
                                    f"{MAX_FILE_BYTES // (1024 * 1024)} MB)")
            return
        data = path.read_bytes()
    except OSError as e:
        yield ReadError(source, f"cannot read: {_why(path, e)}")
        return
    try:
        # a NUL in a record is that record's problem, reported by its line
        decoded = decode_bytes(data, keep_nul=suffix in _RECORD_LINES)
    except DecodeError as e:
        yield ReadError(source, str(e))
        return
    del data
    for w in decoded.warnings:
        yield ReadWarning(source, w)
    text = decoded.text
    if suffix in HTML_SUFFIXES:
        yield from _html(source, text, decoded.encoding)
    elif suffix in (".jsonl", ".ndjson"):
        yield from _jsonl(source, text, decoded.encoding)
    elif suffix == ".json":
        yield from _json(source, text, decoded.encoding)
    elif suffix in CSV_SUFFIXES:
        yield from _csv(source, text, decoded.encoding, "\t" if suffix == ".tsv" else ",")
    elif len(text) > MAX_ARTICLE_CHARS:
        yield ReadError(source, _too_long(text))
    else:
        yield RawArticle(source=source, text=text, title=first_line(text), title_from_text=True,
                         encoding=decoded.encoding, fmt=suffix.lstrip(".") or "txt")


# Record files read record by record from the decoded text (a JSON document is parsed whole).
_RECORD_LINES = {".jsonl", ".ndjson"} | CSV_SUFFIXES


def _why(path: Path, e: OSError) -> str:
    if path.is_symlink() and not path.exists():
        try:
            return f"dangling symbolic link (its target {os.readlink(path)} does not exist)"
        except OSError:
            pass
    return e.strerror or str(e)


def _too_long(text: str) -> str:
    return (f"text too long for one article ({len(text):,} characters; the limit is "
            f"{MAX_ARTICLE_CHARS:,}): split it into articles first")


def first_line(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:500]
    return None


# Markup that never holds article text, and tags; what is left bounds the page's text.
_NOT_TEXT = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>",
                       re.IGNORECASE | re.DOTALL)


_EXTRACTION_LIBRARIES = r"(trafilatura|htmldate|courlan|justext|dateparser|dateutil)(\.|$)"


def _html(source: str, html: str, encoding: str) -> Iterator[Item]:
    import trafilatura

    # Parsing costs about 10 s per MB of page; a page with more text than any article
    # can hold is refused before that, not after.
    if len(html) > MAX_ARTICLE_CHARS:
        visible = len(_NOT_TEXT.sub("", html))
        if visible > 2 * MAX_ARTICLE_CHARS:
            yield ReadError(source, f"page too long for one article (about {visible:,} "
                                    f"characters of text; the limit is {MAX_ARTICLE_CHARS:,})")
            return
    try:
        with warnings.catch_warnings():
            # htmldate's date parsing lets dateutil warn about time zones it cannot name
            # ("tzname EST identified but not understood"): noise on the terminal, the
            # date is taken anyway. Silenced here only, for these libraries only.
            warnings.filterwarnings("ignore", module=_EXTRACTION_LIBRARIES)
            doc = _extract(trafilatura, html)
            body = doc.text if doc is not None else None
            if not body:
                doc = trafilatura.bare_extraction(html, include_comments=False,
                                                  favor_recall=True, with_metadata=True)
                body = doc.text if doc is not None else None
    except Exception as e:  # trafilatura/lxml raise many kinds on broken markup
        yield ReadError(source, f"cannot parse HTML: {e}")
        return
    if body:
        try:
            body = with_embedded_captions(html, body)
        except Exception:  # the page's own text is never lost over its scripts
            pass
    if not body or len(body.strip()) < MIN_HTML_TEXT:
        yield ReadError(source, "no article text found in the HTML page")
        return
    if len(body) > MAX_ARTICLE_CHARS:
        yield ReadError(source, _too_long(body))
        return
    try:
        title = page_title(html, doc.title, doc.sitename) or None
    except Exception:  # a title is never worth losing the article over
        title = (doc.title or "").strip() or None
    text = body if not title or body.lstrip().startswith(title) else f"{title}\n\n{body}"
    # the source is always the file it came from (exports are traced back to it); the
    # page's canonical address is its url
    yield RawArticle(source=source, text=text, title=title or first_line(body),
                     url=doc.url, date=doc.date, encoding=encoding, fmt="html",
                     title_from_text=not title)


# Main text (docs/adr/0006-main-text-extraction.md). trafilatura's favor_precision drops
# whole bodies on some Chinese portals (163.com, hexun) and every text run after an image
# <div> (thepaper); its default keeps them but lets more lists and menus through. The
# precise extraction is kept unless the default one holds it (PROSE_COVER of its
# characters) and adds prose the precise one lacks: lines of PROSE_LINE characters or
# more that end a sentence, together at least PROSE_EXTRA characters and PROSE_SHARE of
# the precise text. Only prose between the precise text's first and last lines counts
# (a carousel of other stories above the article does not), unless the precise text
# holds fewer than PROSE_BODY_LINES prose lines itself (a disclaimer, a comment: no
# body). Menus, hot lists and headline lists (short lines, no sentence end) never make
# the switch.
PROSE_LINE = 30
PROSE_BODY_LINES = 3
PROSE_EXTRA = 40
PROSE_SHARE = 0.1
PROSE_COVER = 0.9
_SENTENCE_END = tuple("。！？.!?”\"」』）)…")


# Some editors (WeChat's among them) write each paragraph of an article as a <section>
# of inline text with no <p> at all. trafilatura reads no paragraph there: the body runs
# into one line or, on a page with enough chrome, is lost ("no article text found"). A
# <section> that holds only inline elements and text is a paragraph, and is read as one.
_INLINE_TAGS = frozenset(("a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del",
                          "dfn", "em", "font", "i", "img", "ins", "kbd", "label", "mark", "q",
                          "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
                          "var", "wbr"))
_SECTION = re.compile(r"<section\b", re.I)


def sections_as_paragraphs(html: str) -> str:
    """The page with every <section> of only inline content and text made a <p>."""
    if not _SECTION.search(html):
        return html
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:  # trafilatura reports what cannot be parsed
        return html
    changed = False
    for el in tree.iter("section"):
        if el.text_content().strip() and all(
                isinstance(c.tag, str) and c.tag.lower() in _INLINE_TAGS for c in el):
            el.tag = "p"
            changed = True
    return lxml.html.tostring(tree, encoding="unicode") if changed else html


# A gallery page shows one slide's caption at a time; its script carries all of them as
# a list of texts in JSON (toutiao: JSON.parse("{... \"sub_abstracts\": [...]}")). When
# the extraction holds some items of such a list and lacks others, the missing items are
# put in, in the list's order, after the line of the item before them. Lists are read
# only from JSON.parse string literals and JSON script blocks; an item counts if it has
# CAPTION_MIN characters (a sentence, not a tag or keyword list) and is not an address.
CAPTION_MIN = PROSE_LINE
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_JSON_PARSE = re.compile(r'JSON\.parse\(\s*("(?:[^"\\]|\\.)*")\s*\)', re.S)


def _json_texts(html: str) -> Iterator[object]:
    for m in _SCRIPT.finditer(html):
        attrs, code = m.group(1), m.group(2)
        if "json" in attrs.lower():
            try:
                yield json.loads(code)
            except ValueError:
                pass
            continue
        for lit in _JSON_PARSE.finditer(code):
            try:
                yield json.loads(json.loads(lit.group(1)))
            except ValueError:
                continue


def _text_lists(obj: object, depth: int = 0) -> Iterator[list[str]]:
    if depth > 20:
        return
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _text_lists(v, depth + 1)
    elif isinstance(obj, list):
        texts = [x.strip() for x in obj if isinstance(x, str)]
        if len(obj) >= 2 and len(texts) == len(obj):
            yield texts
        else:
            for v in obj:
                yield from _text_lists(v, depth + 1)


def _caption(t: str) -> bool:
    return len(t) >= CAPTION_MIN and not re.match(r"(?:https?:)?//|www\.", t)


def with_embedded_captions(html: str, body: str) -> str:
    """body with the items it lacks of a list of texts the page's script carries, when
    it holds some items of that list (the slides of a gallery)."""
    if "JSON.parse" not in html and "json" not in html.lower():
        return body
    for obj in _json_texts(html):
        for items in _text_lists(obj):
            items = [t for t in items if _caption(t)]
            if len(items) < 2:
                continue
            present = [_norm(t) in _norm(body) for t in items]
            if not any(present) or all(present):
                continue
            lines = body.split("\n")
            out_at = None
            for t, here in zip(items, present):
                if here:
                    key = _norm(t)
                    out_at = next((i for i, ln in enumerate(lines) if key in _norm(ln)),
                                  out_at)
                elif out_at is not None:
                    lines.insert(out_at + 1, t)
                    out_at += 1
                else:  # before the first item the body holds: in front of its line
                    first = next(u for u, h in zip(items, present) if h)
                    at = next((i for i, ln in enumerate(lines) if _norm(first) in _norm(ln)), 0)
                    lines.insert(at, t)
            body = "\n".join(lines)
    return body


def _extract(trafilatura, html: str):
    html = sections_as_paragraphs(html)
    precise = trafilatura.bare_extraction(html, include_comments=False, include_tables=True,
                                          favor_precision=True, with_metadata=True)
    plain = trafilatura.bare_extraction(html, include_comments=False, include_tables=True,
                                        with_metadata=True)
    if precise is None or not precise.text:
        return plain if plain is not None and plain.text else precise
    if plain is None or not plain.text:
        return precise
    return plain if adds_prose(precise.text, plain.text) else precise


def adds_prose(precise: str, plain: str) -> bool:
    """Whether `plain` holds `precise` and adds prose to it (see PROSE_LINE)."""
    lines = ["".join(x.split()) for x in precise.splitlines()]
    lines = [x for x in lines if x]
    flat = "".join(plain.split())
    total = sum(len(x) for x in lines)
    if total and sum(len(x) for x in lines if x in flat) < PROSE_COVER * total:
        return False
    have = {x.strip() for x in precise.splitlines()} - {""}
    theirs = [y.strip() for y in plain.splitlines()]
    at = [i for i, y in enumerate(theirs) if y in have]
    lo, hi = (min(at), max(at)) if at else (0, len(theirs))
    if sum(1 for x in have if _prose(x)) < PROSE_BODY_LINES:
        lo, hi = 0, len(theirs)  # the precise text holds no body: prose anywhere counts
    extra = sum(len(y) for y in theirs[lo:hi + 1] if y not in have and _prose(y))
    return extra >= PROSE_EXTRA and extra >= PROSE_SHARE * len(precise)


def _prose(line: str) -> bool:
    return len(line) >= PROSE_LINE and line.endswith(_SENTENCE_END)


# Titles. A page's <title> (and trafilatura's title, taken from it or og:title) carries
# the site and section: "街市重開 鼠患不改 - 東方日報", "平鎮輪胎行惡火 | 社會 | 中央社 CNA",
# "..._网易新闻". Pieces at either end of such a title are cut off when they are a site or
# section name by the page's own evidence: og:site_name / application-name, or the text
# of one of the page's links (its menu: 社會, 大中華, TOPick), or a bare domain. A title
# that is nothing but such a name is replaced by the page's headline.
_TITLE_SEP = re.compile(r"\s+[-–—]{1,2}\s+|\s*[|｜_]\s*|\s*::\s*|\s*-{2,}\s*"
                        r"|(?<=[\u3400-\u9fff）」”])-(?=[\u3400-\u9fff])")
_DOMAIN = re.compile(r"^(www\.)?[\w-]+(\.[\w-]+)*\.(com|net|org|cn|hk|tw|co\.uk|info)$", re.I)
MAX_TITLE = 300


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


def _page_facts(html: str):
    import lxml.html

    tree = lxml.html.fromstring(html)
    titles = [t.text_content() for t in tree.iter("title")][:1]
    meta = {}
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or "").strip().lower()
        if key in ("og:title", "twitter:title", "og:site_name", "application-name") \
                and (m.get("content") or "").strip() and key not in meta:
            meta[key] = m.get("content").strip()
    h1 = [" ".join(h.text_content().split()) for h in tree.iter("h1")]
    alts: set[str] = set()
    for img in tree.iter("img"):  # a logo's alt names the site ("香港經濟日報")
        t = _norm(img.get("alt") or "")
        if 0 < len(t) <= 40:
            alts.add(t)
    links: set[str] = set()
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip().lower()
        if href.startswith(("#", "javascript:")):  # a jump inside the page, not its menu
            continue
        t = _norm(a.text_content())
        if 0 < len(t) <= 40:
            links.add(t)
    return titles, meta, [h for h in h1 if 0 < len(h) <= MAX_TITLE], links | alts


def _site_ish(piece: str, sites: list[str], links: set[str]) -> bool:
    p = _norm(piece)
    if not p:
        return True
    if _DOMAIN.match(p):
        return True
    # a menu's link: short (a section, a site's name), never a headline linking to itself
    if p in links and (len(p) <= 8 or p.isascii() and len(p.split()) <= 2 and len(p) <= 16):
        return True
    return any(len(p) >= 2 and (p in s or s in p) for s in sites)


def strip_site(title: str, sites: list[str], links: set[str]) -> str:
    """`title` without the site or section names at its ends (never all of it)."""
    cuts = [(m.start(), m.end()) for m in _TITLE_SEP.finditer(title)]
    if not cuts:
        return title.strip()
    bounds = [0] + [e for _, e in cuts]
    ends = [s for s, _ in cuts] + [len(title)]
    pieces = list(zip(bounds, ends))
    lo, hi = 0, len(pieces) - 1
    while hi > lo and _site_ish(title[pieces[hi][0]:pieces[hi][1]], sites, links):
        hi -= 1
    while lo < hi and _site_ish(title[pieces[lo][0]:pieces[lo][1]], sites, links):
        lo += 1
    return title[pieces[lo][0]:pieces[hi][1]].strip()


def _sep_at(text: str, i: int, backwards: bool = False) -> bool:
    """Whether a title separator starts at `i` (or, backwards, ends there)."""
    if backwards:
        return any(m.end() == i for m in _TITLE_SEP.finditer(text, 0, i))
    return _TITLE_SEP.match(text, i) is not None


def page_title(html: str, found: str | None, sitename: str | None = None) -> str:
    """The page's headline from trafilatura's title (`found`) and the page's <title>,
    og:title, twitter:title and <h1>s, without site and section names."""
    found = " ".join((found or "").split())
    titles, meta, h1, links = _page_facts(html)
    sites = [_norm(s) for s in (meta.get("og:site_name"), meta.get("application-name"),
                                sitename) if s and len(_norm(s)) >= 2
             and not re.match(r"\w+://|www\.", s)]  # a url is no name
    sites = [x for x in sites if x not in {_norm(t) for t in titles}]  # a headline is none
    raw = [" ".join(t.split()) for t in titles + [meta.get("og:title", ""),
                                                  meta.get("twitter:title", "")]]
    raw = [t for t in raw if t]
    others = raw + h1
    title = found
    # trafilatura took its title from elsewhere on the page (a sidebar's "latest articles",
    # a section heading): the page's <title> says what the page is
    if raw and (not title or not any(title in o or o in title for o in others)):
        title = raw[0]
    # an attribute cut by an unescaped quote (og:title="...龙湖集团"暗伤"曝露？"): the
    # page's longer title it begins, where that goes on with more than a separator
    cut = title in (meta.get("og:title"), meta.get("twitter:title"))
    longer = [o for o in others if cut and o.startswith(title) and len(o) > len(title)
              and not _sep_at(o, len(title))]
    if title and longer:
        title = max(longer, key=len)
    # the page's other titles show which part is the site's: "X_网易新闻" beside og:title "X"
    changed = True
    while changed:
        changed = False
        for o in sorted(set(others), key=len, reverse=True):
            # what is cut off is short beside what stays: a name, not a subtitle
            if len(o) < 4 or len(o) >= len(title) or len(title) - len(o) > max(16, len(o) * 0.6):
                continue
            if (title.startswith(o) and _sep_at(title, len(o))) or (
                    title.endswith(o) and _sep_at(title, len(title) - len(o), backwards=True)):
                title, changed = o, True
                break
    title = strip_site(title, sites, links)
    # (a headline that also links to itself stays when the page's <title> holds it)
    if not title or (_site_ish(title, sites, links)
                     and not (title in h1 and any(title in r for r in raw))):
        # only a site or section name ("大中華", "山西省人民政府网站"): the headline
        heads = [strip_site(o, sites, links) for o in h1 + raw]
        heads = [o for o in heads if o and not _site_ish(o, sites, links)]
        if heads:
            title = heads[0]
    return title[:MAX_TITLE]


def _record(source: str, obj: object, at: str, suffix: str, encoding: str,
            fmt: str) -> Iterator[Item]:
    """One record of a JSONL, JSON or CSV file. Its problems are reported at `at`
    (": line 3", ": record 2", counted from 1 as an editor counts), the form every error
    line takes; the article's source keeps the short `suffix` (":3", "#1") it has always
    been stored with, so re-imported and exported sources do not change."""
    where = f"{source}{at}"
    if not isinstance(obj, dict):
        yield ReadError(where, f"expected a JSON object, got {type(obj).__name__}")
        return
    text = obj.get("text")
    if text is None:
        text = obj.get("content")
    if not isinstance(text, str) or not text.strip():
        yield ReadError(where, "no 'text' or 'content' field with text")
        return
    if "\x00" in text:
        yield ReadError(where, "text contains NUL characters")
        return
    for key in ("title", "url", "date", "id"):
        if "\x00" in str(obj.get(key) or ""):
            yield ReadError(where, f"'{key}' contains NUL characters")
            return
    if len(text) > MAX_ARTICLE_CHARS:
        yield ReadError(where, _too_long(text))
        return
    text, halves = _LONE_SURROGATE.subn("\ufffd", text)
    if halves:
        yield ReadWarning(where, f"{halves} half surrogate pair(s) (a cut emoji or astral "
                                 "character) replaced with U+FFFD")

    def opt(key: str) -> str | None:
        v = obj.get(key)
        return None if v is None else _LONE_SURROGATE.sub("\ufffd", str(v))

    url = opt("url")
    yield RawArticle(source=f"{source}{suffix}", text=text,
                     title=opt("title") or first_line(text), url=url, date=opt("date"),
                     external_id=opt("id"), encoding=encoding, fmt=fmt,
                     title_from_text=not opt("title"))


_TOO_DEEP = "invalid JSON (nested too deeply to be an article)"


def _invalid_json(e: json.JSONDecodeError) -> str:
    # some of json's messages end in "at" ("Invalid control character at"), written to
    # be followed by a position
    msg = e.msg[:-3] if e.msg.endswith(" at") else e.msg
    return f"invalid JSON ({msg} at column {e.colno})"


def _jsonl(source: str, text: str, encoding: str) -> Iterator[Item]:
    for n, line in enumerate(io.StringIO(text), start=1):
        yield from _jsonl_line(source, line, n, encoding)


def _jsonl_line(source: str, line: str, n: int, encoding: str) -> Iterator[Item]:
    if not line.strip():
        return
    if "\x00" in line:
        yield ReadError(f"{source}: line {n}", "contains NUL bytes")
        return
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        yield ReadError(f"{source}: line {n}", _invalid_json(e))
        return
    except RecursionError:
        yield ReadError(f"{source}: line {n}", _TOO_DEEP)
        return
    yield from _record(source, obj, f": line {n}", f":{n}", encoding, "jsonl")


def _jsonl_stream(path: Path, source: str) -> Iterator[Item]:
    """A large JSONL dump, a line at a time. The encoding is detected on the first
    megabyte (cut at a line end); encodings without ASCII line ends (UTF-16/32) and
    anything the detector is unsure of are read whole, as smaller files are."""
    try:
        with open(path, "rb") as f:
            prefix = f.read(_PREFIX_BYTES)
            cut = prefix.rfind(b"\n")
            head = prefix[:cut + 1] if cut >= 0 else prefix
            if head.count(b"\x00") > len(head) // 10:  # UTF-16 JSON: about every other byte
                yield ReadError(source, "a UTF-16 or binary JSONL dump this large must be "
                                        "converted to UTF-8 first (for example with iconv)")
                return
            try:
                # a stray NUL on one line is that line's problem, not the file's encoding
                encoding = decode_bytes(head.replace(b"\x00", b"")).encoding
            except DecodeError as e:
                yield ReadError(source, str(e))
                return
            if encoding not in ("utf_8", "utf_8_sig", "gb18030", "big5hkscs", "cp1252"):
                yield ReadError(source, f"a {encoding} JSONL dump this large must be converted "
                                        "to UTF-8 first (for example with iconv)")
                return
            f.seek(0)
            if encoding == "utf_8_sig":
                f.read(3)
                encoding = "utf_8"
            for n, raw in enumerate(f, start=1):
                try:
                    line = raw.decode(encoding)
                except UnicodeDecodeError:
                    line = raw.decode(encoding, errors="replace")
                    yield ReadWarning(f"{source}: line {n}", "invalid byte sequence(s) replaced "
                                                             "with U+FFFD")
                yield from _jsonl_line(source, line, n, encoding)
    except OSError as e:
        yield ReadError(source, f"cannot read: {e.strerror or e}")


def _json(source: str, text: str, encoding: str) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        yield ReadError(f"{source}: line {e.lineno}", _invalid_json(e))
        return
    except RecursionError:
        yield ReadError(source, _TOO_DEEP)
        return
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        yield from _record(source, data, "", "", encoding, "json")
    elif isinstance(data, list):
        for i, obj in enumerate(data):
            yield from _record(source, obj, f": record {i + 1}", f"#{i}", encoding, "json")
    else:
        yield ReadError(source, "expected a JSON object or a list of objects")


def _csv(source: str, text: str, encoding: str, delimiter: str) -> Iterator[Item]:
    csv.field_size_limit(MAX_FILE_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as e:
        yield ReadError(f"{source}: line {reader.line_num}", f"malformed CSV ({e})")
        return
    fields = [f.strip().lower() for f in header]
    if "text" not in fields and "content" not in fields:
        yield ReadError(source, "CSV has no 'text' (or 'content') column; columns are: "
                                + (", ".join(fields) or "none"))
        return
    while True:
        # a quoted field can span lines: a record is reported where it starts
        start = reader.line_num + 1
        try:
            row = next(reader, None)
        except csv.Error as e:
            yield ReadError(f"{source}: line {start}", f"malformed CSV ({e})")
            if reader.line_num < start:  # nothing was consumed: it would fail again
                return
            continue
        if row is None:
            break
        if not row:  # a blank line
            continue
        record = {k: v for k, v in zip(fields, row) if k and v}
        yield from _record(source, record, f": line {start}", f":{reader.line_num}",
                           encoding, "csv")
