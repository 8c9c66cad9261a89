"""Compares `loclint lint --format json` of fixtures/demo with DEFECTS.md.

Usage: python expect_demo_findings.py DEFECTS.md REPORT.json

Exits 0 when the report's findings, as (rule, path, line), are exactly the
rows of the DEFECTS.md table (the same check as tests/demo.rs, here for a
binary installed from a wheel); otherwise prints what differs and exits 1.
"""

import collections
import json
import sys


def planted(defects_path):
    rows = collections.Counter()
    with open(defects_path, encoding="utf-8") as defects:
        for line in defects:
            if not line.startswith("| `"):
                continue
            cells = [cell.strip() for cell in line.split("|")]
            rows[(cells[1].strip("`"), cells[2].strip("`"), int(cells[3]))] += 1
    return rows


def reported(report_path):
    with open(report_path, encoding="utf-8") as report:
        diagnostics = json.load(report)["diagnostics"]
    return collections.Counter((d["rule"], d["path"], d["line"]) for d in diagnostics)


def main():
    expected = planted(sys.argv[1])
    actual = reported(sys.argv[2])
    if len(expected) < 12:
        print(f"{sys.argv[1]} lists only {sum(expected.values())} defects")
        return 1
    if expected == actual:
        print(f"the report has exactly the {sum(expected.values())} planted defects")
        return 0
    for finding in sorted(expected - actual):
        print("planted but not reported: {} {}:{}".format(*finding))
    for finding in sorted(actual - expected):
        print("reported but not planted: {} {}:{}".format(*finding))
    return 1


if __name__ == "__main__":
    sys.exit(main())
