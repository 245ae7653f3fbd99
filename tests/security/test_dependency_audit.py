"""The dependency audit (scripts/audit.py, run by `make test`): its list of known
advisories is well formed, and a run never passes without saying what it audited."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scripts import audit

ROOT = Path(__file__).resolve().parents[2]


def test_every_listed_advisory_has_a_reason():
    ignored = audit.read_ignored()
    assert all(reason.strip() for reason in ignored.values())


def test_an_entry_without_a_reason_is_refused(tmp_path):
    listing = tmp_path / "audit-ignore.txt"
    listing.write_text("# comment\nGHSA-aaaa-bbbb-cccc   mã không dùng ở đây\nPYSEC-2024-1\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="PYSEC-2024-1 has no reason"):
        audit.read_ignored(listing)


def test_a_run_reports_what_it_audited_or_that_it_could_not():
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "audit.py")], capture_output=True, text=True,
                         timeout=1200)
    out = res.stdout + res.stderr
    if "DEPENDENCY AUDIT NOT DONE" in out:  # this machine reaches no advisory database
        assert res.returncode == 0
        strict = subprocess.run([sys.executable, str(ROOT / "scripts" / "audit.py"), "--strict"],
                                capture_output=True, text=True, timeout=1200)
        assert strict.returncode == 2 and "this is not a pass" in strict.stderr
    else:
        assert "Python (pip-audit):" in out and "npm (npm audit):" in out
        assert res.returncode == (1 if "UNLISTED ADVISORY" in out else 0), out[-3000:]
