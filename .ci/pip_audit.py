"""Known vulnerabilities in the installed dependencies (pip-audit), failing loudly when the
vulnerability service cannot audit them: a silent pass would read as "no vulnerabilities".

Exit 0: every package audited and none has a known vulnerability (beyond ACCEPTED).
Exit 1: a known vulnerability. Exit 2: some packages could not be audited (no network, or an
index without PyPI's JSON API); AUDIT_ALLOW_UNAUDITED=1 turns only this case into a warning.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

# Accepted vulnerabilities: id -> "date: reason". Each one is dated and reasoned, and reviewed
# when the date is a quarter old. None so far.
ACCEPTED: dict[str, str] = {}

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def main() -> int:
    command = [str(PIP_AUDIT), "--format", "json", "--skip-editable", "--progress-spinner", "off"]
    for vulnerability_id in ACCEPTED:
        command += ["--ignore-vuln", vulnerability_id]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit failed to run:\n{result.stderr}", file=sys.stderr)
        return 2
    dependencies = report.get("dependencies", [])
    vulnerable = [
        f"{item['name']} {item['version']}: {vuln['id']} (fixed in {vuln.get('fix_versions')})"
        for item in dependencies
        for vuln in item.get("vulns", [])
    ]
    unaudited = [item["name"] for item in dependencies if "skip_reason" in item]
    if vulnerable:
        print("pip-audit: known vulnerabilities:\n  " + "\n  ".join(vulnerable), file=sys.stderr)
        return 1
    if unaudited:
        message = (
            f"pip-audit: {len(unaudited)} of {len(dependencies)} packages could NOT be audited "
            "(is PyPI's JSON API / the vulnerability service reachable?): "
            + ", ".join(unaudited[:10])
            + (" ..." if len(unaudited) > 10 else "")
        )
        if os.environ.get("AUDIT_ALLOW_UNAUDITED") == "1":
            print(f"WARNING {message}\nAUDIT_ALLOW_UNAUDITED=1: continuing.", file=sys.stderr)
            return 0
        print(f"FAILED {message}", file=sys.stderr)
        return 2
    print(f"pip-audit: {len(dependencies)} packages audited, no known vulnerabilities.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
