#!/usr/bin/env python
"""Dependency audit run by `make test`: pip-audit on the virtualenv installed from the
locked requirements.txt, and npm audit on package-lock.json (the browser-test tools).

Fails (exit 1) on any advisory not listed with a reason in security/audit-ignore.txt.

When an advisory database cannot be reached (pip-audit reads PyPI's JSON API, npm audit
POSTs to the npm registry's advisory endpoint; a machine behind a package mirror often
reaches neither) nothing was audited: this is never reported as a pass. The script
prints which service failed and how, and exits 2 with --strict (or AUDIT_STRICT=1, for
CI with internet access and release builds); without it, it prints the same banner as a
warning and exits 0 so that `make test` on a mirror-only machine still runs the suite.

Usage: .venv/bin/python scripts/audit.py [--strict]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORE_FILE = ROOT / "security" / "audit-ignore.txt"
OWN_PACKAGES = {"ckanext-opendata-vn"}  # installed from this checkout, never on PyPI


class Unreachable(Exception):
    """The advisory database could not be queried."""


def read_ignored(path: Path = IGNORE_FILE) -> dict[str, str]:
    ignored = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        advisory, _sep, reason = line.partition(" ")
        if not reason.strip():
            raise SystemExit(f"{path}:{number}: {advisory} has no reason; say why it does not apply")
        ignored[advisory] = reason.strip()
    return ignored


# pip-audit's own dependencies clash with CKAN's exact pins, so it lives in a tool
# virtualenv of its own and audits the portal's .venv through --path.
PIP_AUDIT = "pip-audit==2.10.1"
TOOL_VENV = ROOT / ".local" / "tools" / "pip-audit"


def pip_audit_tool() -> Path:
    tool = TOOL_VENV / "bin" / "pip-audit"
    stamp = TOOL_VENV / ".installed"
    if tool.exists() and stamp.exists() and stamp.read_text() == PIP_AUDIT:
        return tool
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(TOOL_VENV)], check=True,
                       capture_output=True, timeout=300)
        subprocess.run([str(TOOL_VENV / "bin" / "pip"), "install", "-q", PIP_AUDIT], check=True,
                       capture_output=True, text=True, timeout=600)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        raise Unreachable(f"could not install {PIP_AUDIT} into {TOOL_VENV}: "
                          f"{(getattr(e, 'stderr', '') or '').strip()[-300:]}") from None
    stamp.write_text(PIP_AUDIT)
    return tool


def pip_advisories() -> tuple[list[dict], list[str]]:
    """Advisories of installed Python packages, and the packages that could not be audited."""
    tool = pip_audit_tool()
    site = next((ROOT / ".venv" / "lib").glob("python3*/site-packages"))
    res = subprocess.run([str(tool), "--path", str(site), "--progress-spinner", "off", "-f", "json"],
                         capture_output=True, text=True, timeout=900)
    try:
        report = json.loads(res.stdout)
    except json.JSONDecodeError:
        raise Unreachable(f"pip-audit failed (exit {res.returncode}): {res.stderr.strip()[-500:]}") from None
    deps = [d for d in report.get("dependencies", []) if d.get("name") not in OWN_PACKAGES]
    skipped = [f"{d['name']} {d.get('version', '')}: {d['skip_reason']}" for d in deps if d.get("skip_reason")]
    if deps and len(skipped) == len(deps):
        raise Unreachable(f"PyPI's vulnerability data answered for none of {len(deps)} packages "
                          f"(first: {skipped[0]})")
    found = [{"package": d["name"], "version": d.get("version", ""), "ids": [v["id"], *v.get("aliases", [])],
              "fix": ", ".join(v.get("fix_versions") or []) or "none yet", "summary": v.get("description", "")[:120]}
             for d in deps for v in d.get("vulns", [])]
    return found, skipped


def npm_advisories() -> list[dict]:
    npm = shutil.which("npm")
    if npm is None:
        raise Unreachable("npm is not installed (scripts/stack.sh test-env installs it)")
    res = subprocess.run([npm, "audit", "--json", "--package-lock-only"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    try:
        report = json.loads(res.stdout or "{}")
    except json.JSONDecodeError:
        raise Unreachable(f"npm audit failed (exit {res.returncode}): {res.stderr.strip()[-500:]}") from None
    if "vulnerabilities" not in report:
        detail = report.get("message") or (report.get("error") or {}).get("summary") or res.stderr.strip()[-300:]
        raise Unreachable(f"npm audit: {detail}")
    found = []
    for name, vuln in report["vulnerabilities"].items():
        for via in vuln.get("via", []):
            if isinstance(via, dict):  # a string names another vulnerable package
                ghsa = (via.get("url") or "").rstrip("/").rsplit("/", 1)[-1]
                found.append({"package": name, "version": vuln.get("range", ""), "ids": [ghsa, str(via.get("source"))],
                              "fix": "npm audit fix" if vuln.get("fixAvailable") else "none yet",
                              "summary": via.get("title", "")})
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", default=os.environ.get("AUDIT_STRICT") == "1",
                        help="an unreachable advisory database fails the audit (exit 2)")
    args = parser.parse_args(argv)
    ignored = read_ignored()
    unlisted, unreachable = [], []
    for label, audit in (("Python (pip-audit)", pip_advisories), ("npm (npm audit)", npm_advisories)):
        try:
            result = audit()
        except Unreachable as e:
            unreachable.append(f"{label}: {e}")
            continue
        found, skipped = result if isinstance(result, tuple) else (result, [])
        for item in skipped:
            print(f"audit: not audited (no advisory data): {item}", file=sys.stderr)
        listed = 0
        for adv in found:
            known = next((i for i in adv["ids"] if i in ignored), None)
            if known:
                listed += 1
                print(f"audit: {adv['package']} {adv['version']} {known} listed: {ignored[known]}")
            else:
                unlisted.append(adv)
        print(f"audit: {label}: {len(found)} advisories, {listed} listed in {IGNORE_FILE.name}")
    for adv in unlisted:
        print(f"audit: UNLISTED ADVISORY {adv['ids'][0]} in {adv['package']} {adv['version']}: {adv['summary']} "
              f"(fixed in: {adv['fix']}). Bump the pin, or add the id with the reason it does not apply "
              f"to {IGNORE_FILE.relative_to(ROOT)}", file=sys.stderr)
    if unreachable:
        banner = "\n".join(["", "=" * 78, "DEPENDENCY AUDIT NOT DONE: the advisory database could not be reached",
                            *unreachable,
                            "Nothing was checked; this is not a pass. Run `make audit` where PyPI's JSON API and",
                            "the npm registry's advisory endpoint are reachable (AUDIT_STRICT=1 makes this fatal).",
                            "=" * 78, ""])
        print(banner, file=sys.stderr)
    if unlisted:
        return 1
    if unreachable and args.strict:
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
