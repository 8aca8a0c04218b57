"""Marking boilerplate: what scraping carried into an article but the article does not say.

Text is never deleted: the stored original stays verbatim and these spans only tell the
claim finder (and the reader, greyed out) what to skip. Rules live in
resources/boilerplate.toml so that a team can add its own sites without touching code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from annotator.domain import Span

_SEPARATOR = re.compile(r"\s[–—\-|｜]\s")
_LINE = re.compile(r"[^\n]*\n?")
_METADATA_RULE = "company_metadata"
# Boilerplate lines (bylines, credits, datelines, menus) are short. Line rules only look at
# a line's text without its surrounding white space, and not at all at longer lines: a
# rule like '^\s*-?\s*By' backtracks quadratically over a long run of spaces, and
# scraped text has lines of many thousands of them.
MAX_RULE_LINE = 1000


@dataclass(frozen=True)
class Rule:
    name: str
    scope: str
    regex: re.Pattern


def load_rules(toml_text: str) -> list[Rule]:
    data = tomllib.loads(toml_text)
    rules = []
    for raw in data.get("rule", []):
        flags = re.IGNORECASE | (re.MULTILINE if raw["scope"] == "match" else 0)
        rules.append(Rule(raw["name"], raw["scope"], re.compile(raw["pattern"], flags)))
    return rules


@lru_cache(maxsize=1)
def default_rules() -> tuple[Rule, ...]:
    text = resources.files("annotator.resources").joinpath("boilerplate.toml").read_text("utf-8")
    return tuple(load_rules(text))


def find_boilerplate(text: str, rules: tuple[Rule, ...] | list[Rule] | None = None) -> list[Span]:
    """Spans of `text` that are boilerplate, sorted and non-overlapping, each trimmed of
    surrounding whitespace and named after the first rule that produced it."""
    rules = default_rules() if rules is None else rules
    lines = _lines(text)
    content = _contents(text, lines)
    spans: list[Span] = []
    for rule in rules:
        if rule.scope == "match":
            spans.extend(Span(m.start(), m.end(), rule.name) for m in rule.regex.finditer(text)
                         if m.end() > m.start())
        elif rule.scope == "line":
            spans.extend(Span(s, e, rule.name) for (s, e), (cs, ce) in zip(lines, content)
                         if ce - cs <= MAX_RULE_LINE and rule.regex.search(text[cs:ce]))
        elif rule.scope == "tail":
            spans.extend(_tails(text, content, rule))
        elif rule.scope == "block":
            for i, (cs, ce) in enumerate(content):
                if ce - cs <= MAX_RULE_LINE and rule.regex.search(text[cs:ce]):
                    end = _list_after(text, content, i)
                    if end is not None:
                        spans.append(Span(cs, end, rule.name))
        elif rule.scope == "prefix":
            # a site name hijacks the title, the first lines: further down, a line like
            # "August 8 – Tinley Park, IL @ Hollywood Casino Amphitheatre – Chicago" is text
            heads = [c for c in content if c[1] > c[0]][:PREFIX_LINES]
            spans.extend(_prefixes(text, heads, rule))
    spans.extend(_metadata_heads(text, lines, spans))
    return _merge(text, _trim(text, spans))


# A tail rule's heading ("相关新闻：", "Leave a Reply") marks the rest of the article only
# when at least this much text (and this share of it) comes before it; nearer the top it
# marks just itself and the list of short lines under it, if there is one.
TAIL_MIN_BEFORE = 300
TAIL_MIN_SHARE = 0.25
# A list under a heading: at least LIST_MIN lines, each at most LIST_LINE characters
# (LIST_ITEM_LINE for "- " items) that do not end a sentence.
LIST_MIN = 2
LIST_LINE = 50
LIST_ITEM_LINE = 80
PREFIX_LINES = 2
_ENDS_SENTENCE = re.compile(r"[。！？!?]\s*$|[a-z][.]\s*$")


def _tails(text: str, content, rule: Rule) -> list[Span]:
    out = []
    for i, (cs, ce) in enumerate(content):
        if ce - cs > MAX_RULE_LINE or not rule.regex.search(text[cs:ce]):
            continue
        if cs >= max(TAIL_MIN_BEFORE, TAIL_MIN_SHARE * len(text)):
            out.append(Span(cs, len(text), rule.name))
            break
        end = _list_after(text, content, i)
        if end is not None:
            out.append(Span(cs, end, rule.name))
    return out


def _list_after(text: str, content, i: int) -> int | None:
    """The end of the run of short list lines after line i, if there are LIST_MIN."""
    n, end = 0, None
    for cs, ce in content[i + 1:]:
        line = text[cs:ce]
        if not line:
            continue
        item = line[:2] in ("- ", "• ", "· ")
        if len(line) > (LIST_ITEM_LINE if item else LIST_LINE) or _ENDS_SENTENCE.search(line):
            break
        n, end = n + 1, ce
    return end if n >= LIST_MIN else None


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line without its newline."""
    out = []
    for m in _LINE.finditer(text):
        if m.start() == m.end():
            break
        end = m.end() - (1 if m.group().endswith("\n") else 0)
        if end > m.start() and text[end - 1] == "\r":
            end -= 1
        out.append((m.start(), end))
    return out


def _contents(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each line's bounds without its leading and trailing white space."""
    out = []
    for s, e in lines:
        line = text[s:e]
        lead = len(line) - len(line.lstrip())
        out.append((s + lead, max(s + lead, s + len(line.rstrip()))))
    return out


def _prefixes(text: str, lines, rule: Rule) -> list[Span]:
    out = []
    for s, e in lines:
        if e - s > MAX_RULE_LINE:
            continue
        line = text[s:e]
        m = rule.regex.match(line)
        if not m:
            continue
        # Extend to the last separator that still leaves a real title after it.
        end = m.end()
        for sep in _SEPARATOR.finditer(line, m.end()):
            if len(line[sep.end():].strip()) >= 8:
                end = sep.end()
        if len(line[end:].strip()) >= 4:
            out.append(Span(s, s + end, rule.name))
    return out


def _metadata_heads(text: str, lines, spans: list[Span]) -> list[Span]:
    """A scraped company card starts with the company's name on a line of its own just
    above "Location: ..."; mark that name line too when it looks like a name."""
    marked = {(sp.start, sp.end) for sp in spans if sp.kind == _METADATA_RULE}
    out = []
    for i, (s, e) in enumerate(lines):
        if (s, e) not in marked or i == 0:
            continue
        ps, pe = lines[i - 1]
        prev = text[ps:pe].strip()
        if (ps, pe) in marked or not prev:
            continue
        if len(prev) <= 80 and not re.search(r"[.!?。！？:：\d]", prev):
            out.append(Span(ps, pe, _METADATA_RULE))
    return out


def _trim(text: str, spans: list[Span]) -> list[Span]:
    out = []
    for sp in spans:
        s, e = sp.start, sp.end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Span(s, e, sp.kind))
    return out


def _merge(text: str, spans: list[Span]) -> list[Span]:
    """Overlapping spans become one, keeping the name of the one that starts first; so do
    neighbours of the same rule with only white space between them."""
    out: list[Span] = []
    for sp in sorted(spans, key=lambda x: (x.start, -x.end)):
        if out and (sp.start <= out[-1].end or (
                sp.kind == out[-1].kind and not text[out[-1].end:sp.start].strip())):
            last = out[-1]
            if sp.end > last.end:
                out[-1] = Span(last.start, sp.end, last.kind)
            continue
        out.append(sp)
    return out


def is_boilerplate(spans: list[Span], start: int, end: int) -> bool:
    """Whether [start, end) overlaps any boilerplate span (spans sorted, non-overlapping)."""
    import bisect

    i = bisect.bisect_right([sp.start for sp in spans], start) - 1
    for sp in spans[max(i, 0):]:
        if sp.start >= end:
            break
        if sp.end > start:
            return True
    return False


def title_line(text: str, spans: list[Span], limit: int = 500) -> str | None:
    """The first non-empty line of `text` once its boilerplate is left out: the title a
    plain-text article has, where the scraped first line is often "Loading...", a
    masthead, or a betting site's name in front of the real headline."""
    k = 0
    for m in _LINE.finditer(text):
        start, end = m.start(), m.start() + len(m.group().rstrip("\n"))
        if start >= len(text):
            break
        while k < len(spans) and spans[k].end <= start:
            k += 1
        parts = []
        cur = start
        for sp in spans[k:]:
            if sp.start >= end:
                break
            if sp.start > cur:
                parts.append(text[cur:sp.start])
            cur = max(cur, sp.end)
        if cur < end:
            parts.append(text[cur:end])
        line = " ".join(" ".join(parts).split()).lstrip("#").strip()
        if line:
            return line[:limit]
    return None
