"""The real-news benchmark's matching and scoring, on synthetic articles."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_realnews", ROOT / "benchmarks" / "bench_realnews.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("bench_realnews", bench)
_spec.loader.exec_module(bench)
Reported = bench.Reported

TEXT = "今年4月，6月28日有12人到场，花费5万元。电话26269999。"


def _gold(**extra):
    rec = {"file": "x.txt", "language": "zh", "script": "hans", "region": "HK",
           "figures": [
               {"surface": "6月28日", "context": "，6月28日有", "kind": "date", "value": 628, "unit": "date"},
               {"surface": "12人", "context": "有12人到场", "kind": "count", "value": 12, "unit": "人"},
               {"surface": "5万元", "context": "花费5万元", "kind": "money", "value": 50000, "currency": "HKD"},
               {"surface": "今年4月", "context": "今年4月，", "kind": "date", "value": 400, "optional": True},
           ],
           "not_figures": [{"surface": "26269999", "context": "电话26269999", "why": "phone number"}]}
    rec.update(extra)
    return rec


def _at(surface, **kw):
    s = TEXT.index(surface)
    return Reported(s, s + len(surface), surface, **kw)


def test_locate_needs_a_unique_context_holding_the_surface():
    assert bench.locate(TEXT, "有12人到场", "12人") == (TEXT.index("12人"), TEXT.index("12人") + 3)
    assert bench.locate(TEXT, "月", "月") is None            # not unique
    assert bench.locate(TEXT, "有12人到场", "13人") is None  # surface not inside
    assert bench.locate(TEXT, "没有的", "没") is None


def test_everything_right():
    reported = [_at("6月28日", kind="date", value=628, unit="date"),
                _at("12人", kind="count", value=12, unit="人"),
                _at("5万元", kind="money", value=50000, currency="HKD")]
    r = bench.match_article(TEXT, _gold(), reported)
    s = bench.summarise([r])
    assert (s["precision"], s["recall"], s["value_accuracy"]) == (1.0, 1.0, 1.0)
    assert s["unit_accuracy"] == 1.0 and s["currency_accuracy"] == 1.0
    assert s["false_warning_rate"] == 0.0 and sum(s["errors"].values()) == 0


def test_error_classes():
    reported = [
        _at("6", kind="number", value=6),                      # a fragment of the date: spurious
        Reported(TEXT.index("28日"), TEXT.index("28日") + 3, "28日", "date", 28, unit="date"),  # the larger overlap: matched, wrong value
        _at("12", kind="number", value=12, warnings=("article.inconsistent",)),  # overlap counts; unit lost
        _at("5万元", kind="money", value=50000, currency="CNY"),
        _at("26269999", kind="number", value=26269999),        # a listed not-figure
        _at("今年4月", kind="date", value=400),                # optional: neither right nor wrong
    ]
    r = bench.match_article(TEXT, _gold(), reported)
    s = bench.summarise([r])
    assert s["gold_figures"] == 3 and s["reported"] == 5 and s["matched"] == 3
    assert s["precision"] == 0.6 and s["recall"] == 1.0
    assert s["value_accuracy"] == round(2 / 3, 4)
    assert s["unit_accuracy"] == 0.5 and s["unit_checked"] == 2
    assert s["currency_accuracy"] == 0.0
    assert s["false_warning_rate"] == round(1 / 3, 4)
    assert s["warning_precision"]["article.inconsistent"]["wrong"] == 1
    errs = bench.error_list([r], None)
    assert {e["surface"] for e in errs["spurious"]} == {"6", "26269999"}
    assert errs["spurious_by_reason"] == {"phone number": 1, "fragment": 1}
    assert errs["wrong_currency"][0]["got"] == "CNY"
    assert errs["missed"] == []


def test_missed_and_missing_context():
    gold = _gold()
    gold["figures"][1]["context"] = "not in the text"
    r = bench.match_article(TEXT, gold, [])
    s = bench.summarise([r])
    assert s["recall"] == 0.0 and s["precision"] is None
    whys = [e.get("why") for e in r.errors["missed"]]
    assert "gold context not found in the imported text" in whys and len(whys) == 3


def test_range_needs_both_ends_and_units_compare_folded():
    text = "从7月25日至29日，共3個月"
    rec = {"file": "y.txt", "language": "zh", "script": "hant", "figures": [
        {"surface": "7月25日至29日", "context": "从7月25日至29日", "kind": "range", "value": 725, "value_max": 729},
        {"surface": "3個月", "context": "共3個月", "kind": "count", "value": 3, "unit": "個月"}]}
    s0 = text.index("7月")
    reported = [Reported(s0, s0 + 9, "7月25日至29日", "range", 725, 29),
                Reported(text.index("3"), len(text), "3個月", "count", 3, unit="个月")]
    r = bench.match_article(text, rec, reported)
    assert r.value_ok == 1 and r.unit_ok == 1 and r.group == "zh-hant"
    assert bench.norm_unit("Years") == bench.norm_unit("year")


def _records(name):
    return [json.loads(line) for line in
            (ROOT / "benchmarks" / name).read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("name", ["realnews_dev.jsonl", "realnews_holdout.jsonl"])
def test_the_annotated_sets_are_well_formed(name):
    records = _records(name)
    groups = {bench.group_of(r) for r in records}
    assert {"en", "zh-hans", "zh-hant"} <= groups
    for r in records:
        for g in r["figures"]:
            assert g["surface"] in g["context"] and g["kind"] in {
                "count", "percent", "money", "date", "year", "number", "ordinal", "range", "change"}
        for n in r["not_figures"]:
            assert n["surface"] in n["context"] and n["why"]


def test_the_held_out_set_shares_no_article_with_the_development_set():
    dev = {r["file"] for r in _records("realnews_dev.jsonl")}
    held = [r["file"] for r in _records("realnews_holdout.jsonl")]
    assert len(held) >= 8 and not dev & set(held)
    assert bench.SETS["holdout"].name == "realnews_holdout.jsonl"


def test_skips_without_the_corpus(tmp_path, capsys):
    assert bench.main(["--corpus", str(tmp_path / "missing")]) == 0
    assert "skipped" in capsys.readouterr().err
