"""Traditional Chinese (Hong Kong and Taiwan) text gives the figures its Simplified
form gives: same surfaces, kinds, values, qualifiers, changes and warnings."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from annotator.text import checks, claims, figures
from annotator.text.figures import atoms as figures_atoms, dates as figures_dates
from annotator.text.figures import lex as figures_lex, masks as figures_masks
from annotator.text.figures import money as figures_money, numerals, scan as figures_scan
from annotator.text.figures import currencies as figures_currencies, units as figures_units
from annotator.text.figures import ranges as figures_ranges
from annotator.text.chinese import convert
from annotator.text.claims import find_claims
from annotator.text.figures import extract_figures
from annotator.text.figures.numerals import NOT_FOLDED, fold

_ENGINE = (checks, claims, figures, figures_atoms, figures_dates, figures_lex, figures_masks,
           figures_money, figures_scan, figures_units, figures_currencies, figures_ranges, numerals)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _signature(f):
    return (convert(f.text, "t2s"), f.kind, f.value, f.value_max, f.currency, f.qualifier, f.role,
            f.link, [w.code for w in f.warnings])


@pytest.mark.parametrize(
    "hant, hans",
    [
        ("共吸引超過50家企業參展", "共吸引超过50家企业参展"),
        ("中國內地達4.76萬人，佔比約95%", "中国内地达4.76万人，占比约95%"),
        ("就業人數最少，僅1.05萬人，比重20%", "就业人数最少，仅1.05万人，比重20%"),
        ("名單再擴容，從13所增加至22所。", "名单再扩容，从13所增加至22所。"),
        ("佔比120%", "占比120%"),
        ("約2000人", "约2000人"),
        ("並於2030年超過10萬人", "并于2030年超过10万人"),
        ("價格將近3萬元", "价格将近3万元"),
        ("最多為3家", "最多为3家"),
        ("失業率從5.5%減至3.2%", "失业率从5.5%减至3.2%"),
        ("當年10月", "当年10月"),
        ("6月28號舉辦", "6月28号举办"),
        ("一共賣了三隻", "一共卖了三只"),
        ("月薪高達1.5萬港幣", "月薪高达1.5万港币"),
        ("售價為新臺幣300元", "售价为新台币300元"),
    ],
)
def test_traditional_reads_like_simplified(hant, hans):
    got = extract_figures(hant, "zh")
    assert [_signature(f) for f in got] == [_signature(f) for f in extract_figures(hans, "zh")]
    assert got and all(hant[f.start : f.end] == f.text for f in got)


def test_hong_kong_repost_gives_the_figures_of_the_original():
    hk = (SAMPLES / "101_hk_repost_big5hkscs.txt").read_bytes().decode("big5hkscs")
    original = (SAMPLES / "001_1bdd7b1565627bd6.txt").read_text(encoding="utf-8")
    compared = 0
    for para in (p for p in hk.splitlines() if len(p) > 40):
        i = original.find(convert(para, "hk2s"))
        assert i >= 0, para[:20]
        same = original[i : i + len(para)]
        assert [_signature(f) for f in extract_figures(para)] == [
            _signature(f) for f in extract_figures(same)]
        compared += 1
    assert compared == 4


def _engine_characters() -> set[str]:
    """Han characters in the engine's string constants (patterns, word lists, messages),
    docstrings left out."""
    chars: set[str] = set()
    for module in _ENGINE:
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        docs = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                chars.update(_HAN.findall(node.value))
    return chars


# Folded to another Simplified form than OpenCC's, on purpose (see numerals.TRAD_PAIRS).
_READ_AS = {"倆": "两"}


def test_fold_covers_the_traditional_forms_of_every_engine_character():
    """Each character OpenCC turns into a character the engine's patterns use must fold
    to it, or some Simplified rule would miss its Traditional text."""
    used = _engine_characters()
    assert {"约", "仅", "过", "从", "占", "增", "减", "号", "当"} <= used
    missing = []
    for cp in list(range(0x3400, 0x4DC0)) + list(range(0x4E00, 0xA000)):
        t = chr(cp)
        if t in NOT_FOLDED or convert(t, "s2t") != t:
            continue  # 么 is itself Simplified
        for config in ("t2s", "hk2s", "tw2s"):
            s = convert(t, config)
            if len(s) == 1 and s != t and s in used and fold(t) != _READ_AS.get(t, s):
                missing.append(f"{t}->{s} ({config})")
    assert not missing, missing


def test_fold_keeps_length_and_leaves_simplified_alone():
    text = "共吸引超過50家企業參展,佔比約95%。共吸引超过50家企业参展,占比约95%。"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded[: len(text) // 2] == "共吸引超过50家企业叁展,占比约95%。"
    assert folded[len(text) // 2 :] == text[len(text) // 2 :]


def test_inconsistency_check_trims_traditional_verbs():
    text = "香港青年失業率達到15%。報告又稱，香港青年失業率為17%。"
    figs = [f for c in find_claims(text) for f in c.figures]
    messages = [w.message for f in figs for w in f.warnings if w.code == "article.inconsistent"]
    assert len(messages) == 2 and "'香港青年失業率'" in messages[0]  # as written, not folded
