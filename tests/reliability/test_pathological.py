"""Input shapes that made the analysis slow or its output explode: long runs of white
space, and one sentence repeated thousands of times. The times themselves are measured by
benchmarks/bench_adversarial.py; these tests pin the behaviour."""

from __future__ import annotations

from annotator.text import duplicates as dups
from annotator.text.clean import find_boilerplate
from annotator.text.sentences import split_sentences


def test_a_byline_padded_with_spaces_is_still_a_byline():
    name = "By KATHY ZHANG in Hong Kong"
    text = "\t" * 3 + name + " " * 50_000 + "\nThe budget rose 8%.\n"
    spans = find_boilerplate(text)
    assert [(s.kind, text[s.start:s.end]) for s in spans] == [("byline", name)]


def test_long_runs_of_spaces_have_no_boilerplate():
    # a line rule used to backtrack over the whole run: 39 s for 100,000 spaces
    assert find_boilerplate(" " * 200_000) == []
    assert find_boilerplate("By" + " " * 200_000 + "x") == []


def _units(text: str):
    return dups.passages(text, [(s.start, s.end) for s in split_sentences(text)])


def test_one_sentence_repeated_gives_at_most_one_passage_per_copy():
    # each copy used to be paired with every other one: O(k^2) pairs (a 300,000-character
    # page of one repeated sentence took 206 s and 5.3 GB in analyse())
    k = 200
    sentence = "The fund grew 12% to 3,400 members in Hong Kong last year, officials said. "
    units = _units(sentence * k)
    matches = dups.within_passages(units)
    assert 1 <= len(matches) <= k - 1
    later = sorted(m.b for m in matches)
    assert all(a[1] <= b[0] for a, b in zip(later, later[1:])), "a copy is reported twice"


def test_a_long_dash_joined_digit_token_is_judged_once(monkeypatch):
    # every digit run of "1-2-1-2-…" used to re-scan the whole token: quadratic (67 s for
    # 40,000 characters)
    from annotator.text.figures import masks as figures_masks
    from annotator.text.figures import extract_figures

    calls = []
    real = figures_masks._token_around
    monkeypatch.setattr(figures_masks, "_token_around",
                        lambda n, s, e: calls.append(s) or real(n, s, e))
    extract_figures("1-2-" * 2000 + " and the fund grew 5%.")
    assert len(calls) <= 4
