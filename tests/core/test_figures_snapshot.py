"""Every figure and claim of the sample inputs, pinned.

The engine's other tests check chosen phenomena; this one makes any change of output
on real articles visible, so a speed-up cannot quietly change a result and a change of
rule shows every place it lands. After a deliberate change, regenerate the snapshot
with `python -m tests.core.test_figures_snapshot` and read the diff before committing.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from annotator.text.claims import find_claims
from annotator.text.figures import extract_figures, figure_to_dict

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
SNAPSHOT = Path(__file__).resolve().parent / "data" / "figures_samples.json"


def sample_texts() -> dict[str, str]:
    """The article texts of every sample, whatever its container or encoding."""
    texts: dict[str, str] = {}
    for p in sorted(SAMPLES.glob("00*.txt")):
        texts[p.name] = p.read_text(encoding="utf-8")
    texts["101_hk_repost_big5hkscs.txt"] = (SAMPLES / "101_hk_repost_big5hkscs.txt").read_bytes().decode("big5hkscs")
    texts["102_cn_excerpt_gb18030.txt"] = (SAMPLES / "102_cn_excerpt_gb18030.txt").read_bytes().decode("gb18030")
    for i, line in enumerate((SAMPLES / "104_feed.jsonl").read_text(encoding="utf-8").splitlines()):
        if line.strip():
            obj = json.loads(line)
            texts[f"104_feed.jsonl#{i}"] = obj.get("text") or obj.get("content") or ""
    rows = csv.DictReader(io.StringIO((SAMPLES / "105_sheet.csv").read_text(encoding="utf-8")))
    for i, row in enumerate(rows):
        texts[f"105_sheet.csv#{i}"] = row["text"]
    return texts


def snapshot_of(text: str) -> dict:
    return {
        "figures": [figure_to_dict(f) for f in extract_figures(text)],
        "claims": [
            {"start": c.start, "end": c.end, "figures": [figure_to_dict(f) for f in c.figures]}
            for c in find_claims(text)
        ],
    }


def current() -> dict:
    return {name: snapshot_of(text) for name, text in sample_texts().items()}


@pytest.fixture(scope="module")
def pinned() -> dict:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(sample_texts()))
def test_sample_output_is_unchanged(pinned, name):
    text = sample_texts()[name]
    got = json.loads(json.dumps(snapshot_of(text), ensure_ascii=False))
    want = pinned[name]
    for key in ("figures", "claims"):
        if got[key] != want[key]:
            lost = [x for x in want[key] if x not in got[key]]
            new = [x for x in got[key] if x not in want[key]]
            pytest.fail(f"{name} {key} changed\n lost: {lost[:5]}\n new: {new[:5]}")


def test_snapshot_covers_every_sample(pinned):
    assert sorted(pinned) == sorted(sample_texts())
    assert sum(len(v["figures"]) for v in pinned.values()) > 200


def test_pinned_spans_are_surfaces(pinned):
    texts = sample_texts()
    for name, snap in pinned.items():
        for f in snap["figures"]:
            assert texts[name][f["start"] : f["end"]] == f["text"]


if __name__ == "__main__":
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    SNAPSHOT.write_text(json.dumps(current(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT.relative_to(ROOT)}", file=sys.stderr)
