"""Checking a signed export with no database: `annotator verify MANIFEST`.

What is checked (the manifest's format: docs/adr/0008-signed-export-manifest.md):

- the exporter's signature over the whole manifest (a changed manifest fails it);
- the digests of the dataset's records hash to the content hash, and every sign-off in
  it is its key's signature of that hash (so the list of records is the signed one,
  whoever exported it), by at least the required number of distinct keys, each on the
  roster the manifest carries where it carries one;
- the file's SHA-256 and its number of records; for a JSONL export in the original
  script each record against the digest of its claim: a changed record, one that is
  not the dataset's (added, or twice) and, for an unfiltered export, one missing;
- whose keys these are: every signer's and the exporter's key must be among the keys
  the reader trusts (`trusted`: a roster file or keys given on the command line). With
  none given, the keys are the manifest's own, which anyone can write: the export is
  reported intact but untrusted, never as verified.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from annotator.services import signoff
from annotator.storage import signatures as sig

MANIFEST_FORMAT = "annotator-signed-export"
MANIFEST_VERSION = 2
MAX_MANIFEST_BYTES = 512 * 1024 * 1024


class VerifyError(ValueError):
    """A manifest or roster that cannot be read at all; the message names the file."""


@dataclass
class Signer:
    role: str  # "signed off" or "exported"
    name: str
    key: str
    trusted: bool | None  # None: nothing to check it against

    @property
    def fingerprint(self) -> str:
        return sig.fingerprint(self.key)


@dataclass
class Report:
    manifest: str
    file: str | None = None
    dataset: str | None = None
    records: int = 0
    hash: str | None = None
    problems: list[str] = field(default_factory=list)  # each a reason it is not genuine
    signers: list[Signer] = field(default_factory=list)
    checked_keys: bool = False  # a roster or keys were given

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def verified(self) -> bool:
        return self.intact and self.checked_keys

    def exit_code(self) -> int:
        """0 verified, 1 not genuine (or a key not trusted), 3 intact but nothing said
        whose the keys are."""
        if self.problems:
            return 1
        return 0 if self.checked_keys else 3


# --- the keys a reader trusts --------------------------------------------------------------

def parse_trusted(lines: list[str], where: str) -> dict[str, str | None]:
    """Public key -> the reviewer name it is trusted for (None: any name), from lines in
    any of the forms annotator prints: `ed25519:KEY NAME` (keys show), `NAME ROLE
    FINGERPRINT ed25519:KEY` (team list), a JSON object with name and key (team list
    --json), or the key alone."""
    out: dict[str, str | None] = {}
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name: str | None
        if line.startswith("{"):
            try:
                obj = json.loads(line)
                key, name = obj["key"], obj.get("name")
            except (ValueError, TypeError, KeyError):
                raise VerifyError(f"{where}: line {n}: not a roster entry (a JSON object "
                                  "with name and key)") from None
        else:
            words = line.split()
            keys = [w for w in words if w.startswith(sig.PREFIX)]
            if len(keys) != 1:
                raise VerifyError(f"{where}: line {n}: no public key ({sig.PREFIX}BASE64) "
                                  "in it")
            key = keys[0]
            others = [w for w in words if w != key]
            name = (others[0] if words[0] == key else words[0]) if others else None
        try:
            sig.parse_public(key)
        except sig.BadKey as e:
            raise VerifyError(f"{where}: line {n}: {e}") from None
        out[key] = name
    return out


def read_roster(path: str | Path) -> dict[str, str | None]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise VerifyError(f"{p}: cannot read the roster: "
                          f"{getattr(e, 'strerror', None) or e}") from None
    found = parse_trusted(text.splitlines(), str(p))
    if not found:
        raise VerifyError(f"{p}: holds no public key")
    return found


# --- the manifest ----------------------------------------------------------------------

def _load(path: Path) -> dict:
    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise VerifyError(f"{path}: too large to be a manifest")
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VerifyError(f"{path}: no such manifest file") from None
    except OSError as e:
        raise VerifyError(f"{path}: cannot read it: {e.strerror}") from None
    except (UnicodeDecodeError, ValueError) as e:
        raise VerifyError(f"{path}: not a manifest (not JSON: {str(e)[:80]})") from None
    if not isinstance(manifest, dict):
        raise VerifyError(f"{path}: not a manifest (not a JSON object)")
    if manifest.get("format") != MANIFEST_FORMAT:
        if "file" in manifest and "hash" in manifest:
            raise VerifyError(f"{path}: a manifest written before signed exports (it holds "
                              "no signatures to check); export the dataset again")
        raise VerifyError(f"{path}: not a manifest of an annotator signed export")
    if manifest.get("version") != MANIFEST_VERSION:
        raise VerifyError(f"{path}: manifest version {manifest.get('version')!r} is not one "
                          f"this annotator reads ({MANIFEST_VERSION})")
    return manifest


def _str(v) -> str:
    return v if isinstance(v, str) else ""


def verify(manifest_path: str | Path,
           trusted: dict[str, str | None] | None = None) -> Report:
    """Check a signed export against its manifest (see the module's docstring).
    VerifyError when the manifest cannot be read as one at all."""
    mpath = Path(manifest_path)
    m = _load(mpath)
    report = Report(str(mpath), dataset=_str(m.get("dataset")), hash=_str(m.get("hash")),
                    checked_keys=trusted is not None)
    problems = report.problems
    try:
        _check_manifest(m, mpath, report)
        _check_file(m, mpath, report)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
        problems.append(f"{mpath}: the manifest is not as annotator writes it ({type(e).__name__}"
                        f": {str(e)[:80]}); it was changed")
    _check_trust(report, m, trusted)
    return report


def _check_manifest(m: dict, mpath: Path, report: Report) -> None:
    problems = report.problems
    exporter = m["exported_by"]
    report.signers.append(Signer("exported", _str(exporter.get("reviewer")),
                                 _str(exporter.get("key")), None))
    if not sig.verify_bytes(exporter.get("key"), m.get("export_signature"),
                            sig.manifest_message(m)):
        problems.append(f"{mpath}: the manifest was changed after it was written: its "
                        f"signature by {exporter.get('reviewer')!r} "
                        f"({sig.fingerprint(_str(exporter.get('key')))}) does not verify")
    dataset, digest = m["dataset"], m["hash"]
    claims = [(str(c), str(d)) for c, d in m["claims"]]
    if signoff.digests_hash(sorted(claims)) != digest:
        problems.append(f"{mpath}: its list of the dataset's records does not hash to the "
                        "content hash that was signed off (the list was changed)")
    roster = {r["name"]: r["key"] for r in m.get("roster") or []}
    keys = set()
    for s in m["signatures"]:
        name, key = _str(s.get("reviewer")), _str(s.get("key"))
        report.signers.append(Signer("signed off", name, key, None))
        fp = sig.fingerprint(key)
        if s.get("hash") != digest:
            problems.append(f"{mpath}: the sign-off of {name!r} ({fp}) is over other content "
                            f"({_str(s.get('hash'))[:12]}) than the export's ({digest[:12]})")
            continue
        message = sig.signoff_message(dataset, digest, s.get("canonical"))
        if not sig.verify_bytes(key, s.get("signature"), message):
            problems.append(f"{mpath}: the sign-off signature of {name!r} ({fp}) does not "
                            f"verify: it is not that key's signature of dataset {dataset!r} "
                            f"with content {digest[:12]}")
            continue
        if roster and roster.get(name) != key:
            problems.append(f"{mpath}: {name!r} signed off with key {fp}, which the "
                            "manifest's roster does not give them")
            continue
        keys.add(key)
    required = m["required_signoffs"]
    if len(keys) < required:
        problems.append(f"{mpath}: {len(keys)} valid sign-off(s) by distinct keys, "
                        f"{required} required")


def _check_file(m: dict, mpath: Path, report: Report) -> None:
    problems = report.problems
    info = m["file"]
    name = str(info["name"])
    if Path(name).name != name or name in ("", ".", ".."):
        problems.append(f"{mpath}: the manifest names {name!r}, not a file beside it")
        return
    path = mpath.parent / name
    report.file = str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        problems.append(f"{path}: cannot read the exported file: {e.strerror}")
        return
    if hashlib.sha256(data).hexdigest() != info["sha256"]:
        problems.append(f"{path}: the file is not the one exported (its SHA-256 differs from "
                        "the manifest's): it was changed after export")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(f"{path}: not UTF-8 text; it is not the file exported")
        return
    fmt = info["format"]
    if fmt == "jsonl":
        count = _check_jsonl(text, path, m, report)
    elif fmt == "csv":
        count = max(sum(1 for _ in csv.reader(io.StringIO(text, newline=""))) - 1, 0)
    else:
        try:
            count = len(json.loads(text))
        except ValueError:
            problems.append(f"{path}: not a JSON array of ClaimReviews")
            return
    report.records = count
    if count != info["records"]:
        problems.append(f"{path}: {count} record(s), the manifest says {info['records']}: "
                        "records were removed or added")


def _check_jsonl(text: str, path: Path, m: dict, report: Report) -> int:
    problems = report.problems
    info = m["file"]
    digests = {str(c): str(d) for c, d in m["claims"]}
    whole = info.get("script") == "original"  # converted text hashes differently
    seen: set[str] = set()
    count = 0
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        count += 1
        try:
            rec = json.loads(line)
            cid = rec["claim_id"]
        except (ValueError, TypeError, KeyError):
            problems.append(f"{path}: line {n} is not a claim record")
            continue
        if cid not in digests:
            problems.append(f"{path}: line {n}: claim {cid!r} is not one of the signed "
                            "dataset's records (it was added)")
        elif cid in seen:
            problems.append(f"{path}: line {n}: claim {cid!r} appears twice (a copy was added)")
        elif whole:
            try:
                changed = signoff.record_digest(rec) != digests[cid]
            except (KeyError, TypeError, AttributeError, ValueError):
                changed = True
            if changed:
                problems.append(f"{path}: line {n}: the record of claim {cid} is not the one "
                                "signed off (it was changed after sign-off)")
        seen.add(cid)
    if whole and not info.get("statuses"):
        missing = [c for c in digests if c not in seen]
        if missing:
            problems.append(f"{path}: {len(missing)} of the signed dataset's records are "
                            f"missing (first: claim {missing[0]}): they were removed")
    return count


def _check_trust(report: Report, m: dict, trusted: dict[str, str | None] | None) -> None:
    if trusted is None:
        return
    for s in report.signers:
        if s.key not in trusted:
            s.trusted = False
            what = "signed off" if s.role == "signed off" else "exported it"
            report.problems.append(
                f"{report.manifest}: unknown key: {s.name!r} {what} with key {s.fingerprint}, "
                "which is not among the keys you trust (--roster, --key)")
        elif trusted[s.key] not in (None, s.name):
            s.trusted = False
            report.problems.append(
                f"{report.manifest}: {s.name!r} used the key {s.fingerprint}, which your "
                f"roster gives {trusted[s.key]!r}")
        else:
            s.trusted = True
