"""ruff and mypy on a baseline that only shrinks.

The code base predates these checks, so CI does not ask for zero findings at once. It asks
that no rule's count grows: `.ci/lint-baseline.json` holds, per ruff rule and for mypy's
errors per error code, the count measured when the baseline was last written. A count above
its baseline fails with the new findings listed; a count below it passes and says so, and
`python .ci/lint.py --update` writes the smaller numbers (never larger ones: lowering is
the only way the file changes).

    python .ci/lint.py            # check (CI)
    python .ci/lint.py --update   # after fixing findings: lower the baseline
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / ".ci" / "lint-baseline.json"
RUFF_PATHS = ["annotator", "tests", "benchmarks", "scripts", ".ci"]
MYPY_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: (?P<msg>.*?)\s+\[(?P<code>[\w-]+)\]$")


def ruff_findings() -> list[tuple[str, str]]:
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "json",
                          "--exit-zero", *RUFF_PATHS], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    return [(f"ruff:{d['code']}", f"{Path(d['filename']).relative_to(ROOT)}:"
             f"{d['location']['row']}: {d['message']}") for d in json.loads(out)]


def mypy_findings() -> list[tuple[str, str]]:
    proc = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary"], cwd=ROOT,
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1):  # 2: mypy itself failed (config, crash)
        sys.exit(f"mypy failed:\n{proc.stdout}{proc.stderr}")
    found = []
    for line in proc.stdout.splitlines():
        m = MYPY_LINE.match(line)
        if m:
            found.append((f"mypy:{m['code']}", f"{m['file']}:{m['line']}: {m['msg']}"))
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--update", action="store_true", help="lower the baseline to today's counts")
    args = ap.parse_args()

    findings = ruff_findings() + mypy_findings()
    counts = collections.Counter(key for key, _ in findings)
    baseline: dict[str, int] = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}

    grown = {k: (n, baseline.get(k, 0)) for k, n in counts.items() if n > baseline.get(k, 0)}
    shrunk = {k: (counts.get(k, 0), n) for k, n in baseline.items() if counts.get(k, 0) < n}

    if args.update:
        if grown and BASELINE.exists():
            print("not lowering: these grew (fix them first):", file=sys.stderr)
        else:
            new = {k: counts[k] for k in sorted(counts)}
            BASELINE.write_text(json.dumps(new, indent=1) + "\n")
            print(f"baseline written: {sum(new.values())} findings in {len(new)} rules")
            return 0

    for key, (now, was) in sorted(grown.items()):
        print(f"{key}: {now} findings, baseline {was}. New ones are among:", file=sys.stderr)
        for k, where in findings:
            if k == key:
                print(f"  {where}", file=sys.stderr)
    for key, (now, was) in sorted(shrunk.items()):
        print(f"{key}: {now} (baseline {was}); run `python .ci/lint.py --update` to lower it")
    total, base = sum(counts.values()), sum(baseline.values())
    print(f"ruff + mypy: {total} findings, baseline {base}")
    return 1 if grown else 0


if __name__ == "__main__":
    sys.exit(main())
