"""`annotator convert`: a stdin-to-stdout filter."""

from __future__ import annotations

from click.testing import CliRunner

from annotator.cli import main
from annotator.text.chinese import convert


def _run(args, data: bytes):
    return CliRunner().invoke(main, ["convert", *args], input=data)


def test_converts_stdin_to_stdout_line_by_line():
    text = "内存和鼠标\n软件发展\r\n最后一行没有换行"
    result = _run(["--config", "s2twp"], text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode("utf-8") == convert(text, "s2twp")
    assert result.stdout_bytes.endswith("最後一行沒有換行".encode())
    assert b"\r\n" in result.stdout_bytes  # line ends are kept as they were


def test_traditional_to_simplified_round_trip():
    result = _run(["--config", "t2s"], "萬人 發展".encode())
    assert result.stdout_bytes.decode("utf-8") == "万人 发展"


def test_invalid_utf8_names_the_line_and_fails_cleanly():
    result = _run(["--config", "s2t"], "第一行\n".encode() + b"\xff\xfe\n")
    assert result.exit_code == 1
    assert "line 2" in result.stderr and "UTF-8" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout_bytes.decode("utf-8") == "第一行\n"


def test_unknown_configuration_is_a_usage_error():
    result = _run(["--config", "x2y"], b"")
    assert result.exit_code == 2
    assert "s2twp" in result.output


def test_help_has_an_example():
    result = CliRunner().invoke(main, ["convert", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "annotator convert --config" in result.output
