"""annotator verify: a signed export checked with no database, and the sign-off's own
signature of the content hash that it rests on."""

from __future__ import annotations

import csv
import hashlib
import json

import pytest
from click.testing import CliRunner

from annotator.cli import main as cli
from annotator.services import identity, signoff, team
from annotator.services import review as svc
from annotator.services.export import signed as signed_export
from annotator.services.export import verify as verifier
from annotator.storage import reviews as rv
from annotator.storage import signatures as sig
from annotator.storage.db import open_db, write_tx

from tests.core.factories import figure_ids, make_article


def _signed_off(d, aid, first_value_note=None):
    for fid in figure_ids(d, aid):
        svc.review(d, reviewer="ana", target_id=fid, action="confirm", note=first_value_note)
    signoff.sign(d, dataset="ds", reviewer="ana")
    signoff.sign(d, dataset="ds", reviewer="ben")


@pytest.fixture
def exported(db, tmp_path):
    aid = make_article(db)
    _signed_off(db, aid)
    out = tmp_path / "ds.jsonl"
    signed_export.export_signed(db, out, dataset="ds", reviewer="lead")
    return out, signed_export.manifest_path(out)


@pytest.fixture
def team_file(tmp_path):
    """The keys a reader trusts, as `annotator keys show` prints them."""
    p = tmp_path / "team.txt"
    p.write_text("".join(identity.show_line(n) + "\n" for n in ("ana", "ben", "lead")),
                 encoding="utf-8")
    return p


def verify(manifest, *options):
    result = CliRunner().invoke(cli, ["verify", str(manifest), *map(str, options)])
    return result.exit_code, result.output


def lines(path):
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def test_a_sign_off_signs_the_datasets_content_hash_with_the_signers_key(db):
    aid = make_article(db)
    _signed_off(db, aid)
    state = signoff.signoff_state(db, "ds")
    for s in state.counting:
        assert s["key"] == identity.public_key(s["reviewer"])
        assert sig.verify_bytes(s["key"], s["signature"],
                                sig.signoff_message("ds", state.hash, s["canonical"]))
        assert signoff.signature_problem(s, "ds") is None
    forged = dict(state.counting[0], hash="0" * 64)
    assert "does not verify" in signoff.signature_problem(forged, "ds")


def test_a_genuine_export_verifies_and_names_its_signers(exported, team_file):
    _, manifest = exported
    code, out = verify(manifest, "--roster", team_file)
    assert code == 0, out
    assert "verified: 3 record(s) of dataset 'ds'" in out
    for name in ("ana", "ben", "lead"):
        assert f"{name:<12} {sig.fingerprint(identity.public_key(name))}  (trusted)" in out


def test_a_roster_as_team_list_prints_it_and_keys_on_the_command_line(exported, tmp_path):
    _, manifest = exported
    roster = tmp_path / "roster.jsonl"
    roster.write_text("".join(json.dumps({"name": n, "key": identity.public_key(n)}) + "\n"
                              for n in ("ana", "ben")), encoding="utf-8")
    code, out = verify(manifest, "--roster", roster, "--key", identity.show_line("lead"))
    assert code == 0, out


def test_without_a_roster_the_manifests_own_keys_are_untrusted(exported):
    _, manifest = exported
    code, out = verify(manifest)
    assert code == 3
    assert "intact: 3 record(s)" in out and "untrusted: not checked" in out
    assert "which anyone can write" in out


def test_a_changed_record_is_reported(exported, team_file):
    out, manifest = exported
    rows = lines(out)
    rec = json.loads(rows[1])
    rec["figures"][0]["value"] = 98500.0
    rows[1] = json.dumps(rec, ensure_ascii=False) + "\n"
    out.write_text("".join(rows), encoding="utf-8")
    code, text = verify(manifest, "--roster", team_file)
    assert code == 1
    assert f"line 2: the record of claim {rec['claim_id']} is not the one signed off" in text
    assert "SHA-256 differs" in text and "NOT VERIFIED" in text


def test_a_changed_record_with_the_manifests_digests_recomputed_is_reported(exported,
                                                                         team_file):
    """The attack of the unkeyed manifest: change a value, recompute every digest."""
    out, manifest = exported
    rows = lines(out)
    rec = json.loads(rows[0])
    rec["figures"][0]["value"] = 1.0
    rows[0] = json.dumps(rec, ensure_ascii=False) + "\n"
    out.write_text("".join(rows), encoding="utf-8")
    m = json.loads(manifest.read_text(encoding="utf-8"))
    records = [json.loads(r) for r in rows]
    m["claims"] = [list(x) for x in signoff.record_digests(records)]
    m["hash"] = signoff.records_hash(records)
    m["file"]["sha256"] = hashlib.sha256(out.read_bytes()).hexdigest()
    for s in m["signatures"]:
        s["hash"] = m["hash"]
    manifest.write_text(json.dumps(m), encoding="utf-8")
    code, text = verify(manifest, "--roster", team_file)
    assert code == 1
    assert "the manifest was changed after it was written" in text
    assert "the sign-off signature of 'ana'" in text and "does not verify" in text


def test_a_changed_manifest_is_reported(exported, team_file):
    _, manifest = exported
    m = json.loads(manifest.read_text(encoding="utf-8"))
    m["required_signoffs"] = 1
    manifest.write_text(json.dumps(m), encoding="utf-8")
    code, text = verify(manifest, "--roster", team_file)
    assert code == 1 and "the manifest was changed after it was written" in text


def test_a_removed_record_is_reported(exported, team_file):
    out, manifest = exported
    rows = lines(out)
    removed = json.loads(rows.pop(2))["claim_id"]
    out.write_text("".join(rows), encoding="utf-8")
    code, text = verify(manifest, "--roster", team_file)
    assert code == 1
    assert f"1 of the signed dataset's records are missing (first: claim {removed})" in text
    assert "2 record(s), the manifest says 3" in text


def test_an_added_record_is_reported(exported, team_file):
    out, manifest = exported
    rows = lines(out)
    extra = json.loads(rows[0])
    invented = dict(extra, claim_id="c-0000000000000000")
    out.write_text("".join(rows + [rows[0], json.dumps(invented) + "\n"]), encoding="utf-8")
    code, text = verify(manifest, "--roster", team_file)
    assert code == 1
    assert f"claim {extra['claim_id']!r} appears twice" in text
    assert "claim 'c-0000000000000000' is not one of the signed dataset's records" in text


def test_a_sign_off_signature_that_does_not_verify_is_reported(exported, team_file, tmp_path):
    """A forger who re-signs the manifest with his own key as exporter still cannot make
    a sign-off signature in ben's name."""
    _, manifest = exported
    m = json.loads(manifest.read_text(encoding="utf-8"))
    sigs = m["signatures"]
    sigs[1]["signature"] = sigs[0]["signature"]  # ana's signature under ben's name
    m["exported_by"] = {"reviewer": "mallory", "key": identity.public_key("mallory"),
                        "fingerprint": sig.fingerprint(identity.public_key("mallory"))}
    m["export_signature"] = sig.sign_bytes(identity.private_key("mallory"),
                                           sig.manifest_message(m))
    manifest.write_text(json.dumps(m), encoding="utf-8")
    code, text = verify(manifest, "--roster", team_file)
    assert code == 1
    assert "the sign-off signature of 'ben'" in text and "does not verify" in text
    assert "1 valid sign-off(s) by distinct keys, 2 required" in text
    assert "unknown key: 'mallory' exported it" in text
    assert "the manifest was changed" not in text  # mallory's own signature verifies


def test_an_unknown_key_is_reported(exported, tmp_path):
    _, manifest = exported
    roster = tmp_path / "roster.txt"
    roster.write_text(identity.show_line("ana") + "\n" + identity.show_line("lead") + "\n",
                      encoding="utf-8")
    code, text = verify(manifest, "--roster", roster)
    ben = sig.fingerprint(identity.public_key("ben"))
    assert code == 1
    assert f"unknown key: 'ben' signed off with key {ben}, which is not among the keys you " \
        "trust" in text
    assert f"ben          {ben}  (NOT TRUSTED)" in text


def test_a_key_given_for_another_name_is_reported(exported, team_file):
    _, manifest = exported
    code, text = verify(manifest, "--key", identity.public_key("ana") + " ben",
                        "--key", identity.show_line("ben"), "--key", identity.show_line("lead"))
    assert code == 1 and "'ana' used the key" in text and "your roster gives 'ben'" in text


def test_bad_manifests_and_rosters_are_one_error_line(exported, tmp_path):
    out, manifest = exported
    for content, message in (("{not json", "not a manifest (not JSON"),
                             ('{"dataset": "ds", "hash": "x", "file": {}}',
                              "a manifest written before signed exports")):
        bad = tmp_path / "bad.manifest.json"
        bad.write_text(content, encoding="utf-8")
        code, text = verify(bad)
        assert code == 1 and f"error: {bad}: {message}" in text and "Traceback" not in text
    code, text = verify(tmp_path / "missing.json")
    assert code == 1 and "no such manifest file" in text
    roster = tmp_path / "r.txt"
    roster.write_text("ana somebody\n", encoding="utf-8")
    code, text = verify(manifest, "--roster", roster)
    assert code == 1 and f"{roster}: line 1: no public key" in text
    out.unlink()
    code, text = verify(manifest)
    assert code == 1 and "cannot read the exported file" in text


def test_a_signed_csv_honours_no_neutralise_and_a_changed_cell_is_reported(db, tmp_path,
                                                                        team_file):
    aid = make_article(db)
    _signed_off(db, aid, first_value_note="=HYPERLINK(\"x\")")
    out = tmp_path / "ds.csv"
    result = CliRunner().invoke(cli, ["export", "--db", str(tmp_path / "test.db"), "--dataset",
                                      "ds", "--signed-off", "--reviewer", "lead", "--format",
                                      "csv", "--no-neutralise", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert rows[0]["note"] == "=HYPERLINK(\"x\")"
    manifest = signed_export.manifest_path(out)
    assert json.loads(manifest.read_text(encoding="utf-8"))["file"]["neutralised"] is False
    assert verify(manifest, "--roster", team_file)[0] == 0
    out.write_text(out.read_text(encoding="utf-8").replace("confirmed", "flagged", 1),
                   encoding="utf-8")
    code, text = verify(manifest, "--roster", team_file)
    assert code == 1 and "the file is not the one exported" in text


def test_a_signed_claimreview_takes_the_review_url(db, tmp_path, team_file):
    aid = make_article(db)
    _signed_off(db, aid)
    out = tmp_path / "ds.json"
    result = CliRunner().invoke(cli, ["export", "--db", str(tmp_path / "test.db"), "--dataset",
                                      "ds", "--signed-off", "--reviewer", "lead", "--format",
                                      "claimreview", "--review-url",
                                      "https://checks.example/{claim_id}", "-o", str(out)])
    assert result.exit_code == 0, result.output
    reviews = json.loads(out.read_text(encoding="utf-8"))
    assert all(r["url"] == f"https://checks.example/{r['identifier']}" for r in reviews)
    manifest = signed_export.manifest_path(out)
    assert verify(manifest, "--roster", team_file)[0] == 0


def test_a_signed_export_names_its_exporter(db, db_path, tmp_path):
    aid = make_article(db)
    _signed_off(db, aid)
    result = CliRunner().invoke(cli, ["export", "--db", str(db_path), "--dataset", "ds",
                                      "--signed-off", "-o", str(tmp_path / "x.jsonl")],
                                env={"ANNOTATOR_REVIEWER": ""})
    assert result.exit_code == 2 and "no reviewer name" in result.output


def test_merge_refuses_a_sign_off_whose_hash_signature_does_not_verify(tmp_path):
    ben = open_db(tmp_path / "ben.db")
    aid = make_article(ben)
    for fid in figure_ids(ben, aid):
        svc.review(ben, reviewer="ben", target_id=fid, action="confirm")
    digest = signoff.content_hash(ben, "ds")
    with write_tx(ben):  # a sign-off event signed by ben, its hash signature forged
        rv.append_event(ben, reviewer="ben", action="signoff", target_type="dataset",
                        target_id="ds", old_state=None,
                        new_state={"hash": digest, "claims": 3, "figures": 5, "canonical": 1,
                                   "version": "x", "key": identity.public_key("ben"),
                                   "signature": sig.sign_bytes(identity.private_key("ben"),
                                                               b"something else")},
                        batch=rv.new_batch())
    ben.close()
    lead = open_db(tmp_path / "lead.db")
    with pytest.raises(team.MergeError, match="content hash does not verify"):
        team.merge(lead, tmp_path / "ben.db")


def test_the_report_has_an_exit_code_per_outcome():
    r = verifier.Report("m")
    assert r.exit_code() == 3
    r.checked_keys = True
    assert r.exit_code() == 0
    r.problems.append("x")
    assert r.exit_code() == 1
