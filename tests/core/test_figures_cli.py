"""The `figures` command: one JSON object per input line, offsets into that line."""

from __future__ import annotations

import json

from click.testing import CliRunner

from annotator.cli.figures import figures


def test_one_json_object_per_line():
    lines = ["预计到2028年，缺口将达到6万至6.5万", "", "raised more than $1.6 billion"]
    result = CliRunner().invoke(figures, [], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(x) for x in result.output.splitlines()]
    assert len(out) == 3
    for line, record in zip(lines, out):
        for f in record["figures"]:
            assert line[f["start"] : f["end"]] == f["text"]
    assert [f["kind"] for f in out[0]["figures"]] == ["year", "range"]
    assert out[1] == {"figures": []}
    assert out[2]["figures"][0]["currency"] == "USD"
    assert "6万至6.5万" in result.output  # not escaped


def test_lang_option_and_help():
    result = CliRunner().invoke(figures, ["--lang", "zh"], input="two months 两个月\n")
    assert [f["text"] for f in json.loads(result.output)["figures"]] == ["两个月"]
    help_text = CliRunner().invoke(figures, ["--help"]).output
    assert "Example" in help_text and "--lang" in help_text
