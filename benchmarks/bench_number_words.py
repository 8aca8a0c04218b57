"""Compare English number-word libraries with the engine on the word cases of real news.

The cases are the English forms real news writes that the engine once read wrongly
(ordinals read as fractions, "two point two million" as 2.2, "one million and a half"
as 1000000.5 ...) and the everyday ones around them. Each library is asked for the value
of the phrase as a whole:

- text2num (text_to_num.alpha2digit on the sentence, then the number it wrote);
- number-parser (number_parser.parse_number, and parse_ordinal for ordinals);
- word2number (w2n.word_to_num);
- the engine (annotator.text.figures.extract_figures, the figure covering the phrase).

A library that is not installed is reported as such. Prints JSON: right answers per
reader and the cases each got wrong; per-call time in microseconds.

    python benchmarks/bench_number_words.py
"""

from __future__ import annotations

import json
import math
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# (phrase in a sentence, the phrase, value, ordinal?)
CASES = [
    ("the twenty-fifth anniversary of the handover", "twenty-fifth", 25, True),
    ("at the forty-second session of the council", "forty-second", 42, True),
    ("the seventeenth on the list", "seventeenth", 17, True),
    ("a budget of two point two million dollars", "two point two million", 2_200_000, False),
    ("it earned three billions last year", "three billions", 3_000_000_000, False),
    ("one million and a half people", "one million and a half", 1_500_000, False),
    ("twenty-three fifths of the vote", "twenty-three fifths", 4.6, False),
    ("it took an hour and a half", "an hour and a half", 1.5, False),
    ("he ran five-and-a-half miles", "five-and-a-half", 5.5, False),
    ("twenty-five people were hurt", "twenty-five", 25, False),
    ("one hundred and five schools", "one hundred and five", 105, False),
    ("nine million people watched", "nine million", 9_000_000, False),
    ("three quarters of the staff", "three quarters", 0.75, False),
    ("a dozen attack planes", "a dozen", 12, False),
    ("four thousand two hundred and twelve votes", "four thousand two hundred and twelve", 4212, False),
    ("the temperature fell to minus five", "minus five", -5, False),
    ("half the cost", "half", 0.5, False),
    ("two and a half years", "two and a half", 2.5, False),
]


def _close(a, b) -> bool:
    try:
        return a is not None and math.isclose(float(a), float(b), rel_tol=1e-9)
    except (TypeError, ValueError):
        return False


def _text2num(sentence, phrase, ordinal):
    from text_to_num import alpha2digit

    out = alpha2digit(sentence, "en")
    start = sentence.find(phrase)
    m = re.compile(r"-?\d+(?:[.,]\d+)*").search(out, max(0, start - 2))
    return float(m.group().replace(",", "")) if m else None


def _number_parser(sentence, phrase, ordinal):
    from number_parser import parse_number, parse_ordinal

    return (parse_ordinal if ordinal else parse_number)(phrase)


def _word2number(sentence, phrase, ordinal):
    from word2number import w2n

    return w2n.word_to_num(phrase)


def _engine(sentence, phrase, ordinal):
    from annotator.text.figures import extract_figures

    start = sentence.find(phrase)
    for f in extract_figures(sentence, "en"):
        if f.start < start + len(phrase) and start < f.end:
            return f.value
    return None


READERS = {"text2num": _text2num, "number-parser": _number_parser,
           "word2number": _word2number, "engine": _engine}


def run() -> dict:
    out = {}
    for name, fn in READERS.items():
        try:
            fn(*CASES[0][:2], CASES[0][3])
        except ImportError as e:
            out[name] = {"installed": False, "error": str(e)}
            continue
        except Exception:  # noqa: BLE001 - a library raising on a case is a wrong answer
            pass
        right, wrong = 0, []
        t0 = time.perf_counter()
        for sentence, phrase, value, ordinal in CASES:
            try:
                got = fn(sentence, phrase, ordinal)
            except Exception as e:  # noqa: BLE001
                got = f"raised {type(e).__name__}"
            if _close(got, value):
                right += 1
            else:
                wrong.append({"phrase": phrase, "want": value, "got": got})
        us = (time.perf_counter() - t0) / len(CASES) * 1e6
        out[name] = {"installed": True, "right": right, "cases": len(CASES),
                     "us_per_call": round(us, 1), "wrong": wrong}
    return out


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=1, default=str))
