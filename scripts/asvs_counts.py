"""Check docs/ASVS.md: one row for each level-1 and level-2 requirement of ASVS 5.0.0, every cited
test present, and the totals by chapter.

    python scripts/asvs_counts.py           # the totals table (markdown); exit 1 on a problem
    python scripts/asvs_counts.py --tests   # the cited tests as pytest node ids, one a line
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "ASVS.md"

# The level-1 and level-2 requirements of ASVS 5.0.0 (OWASP's CSV of the release), by section:
# (section, first, last) for the numbers that are L1 or L2; level-3 ones are left out.
LEVEL_1_2 = [
    ("1.1", 1, 2), ("1.2", 1, 9), ("1.3", 1, 11), ("1.4", 1, 3), ("1.5", 1, 2),
    ("2.1", 1, 3), ("2.2", 1, 3), ("2.3", 1, 4), ("2.4", 1, 1),
    ("3.2", 1, 2), ("3.3", 1, 4), ("3.4", 1, 6), ("3.5", 1, 5), ("3.7", 1, 2),
    ("4.1", 1, 3), ("4.2", 1, 1), ("4.3", 1, 2), ("4.4", 1, 4),
    ("5.1", 1, 1), ("5.2", 1, 3), ("5.3", 1, 2), ("5.4", 1, 3),
    ("6.1", 1, 3), ("6.2", 1, 12), ("6.3", 1, 4), ("6.4", 1, 4), ("6.5", 1, 5), ("6.6", 1, 3), ("6.8", 1, 4),
    ("7.1", 1, 3), ("7.2", 1, 4), ("7.3", 1, 2), ("7.4", 1, 5), ("7.5", 1, 2), ("7.6", 1, 2),
    ("8.1", 1, 2), ("8.2", 1, 3), ("8.3", 1, 1), ("8.4", 1, 1),
    ("9.1", 1, 3), ("9.2", 1, 4),
    ("10.1", 1, 2), ("10.2", 1, 2), ("10.3", 1, 4), ("10.4", 1, 11), ("10.5", 1, 5), ("10.6", 1, 2), ("10.7", 1, 3),
    ("11.1", 1, 2), ("11.2", 1, 3), ("11.3", 1, 3), ("11.4", 1, 4), ("11.5", 1, 1), ("11.6", 1, 1),
    ("12.1", 1, 3), ("12.2", 1, 2), ("12.3", 1, 4),
    ("13.1", 1, 1), ("13.2", 1, 5), ("13.3", 1, 2), ("13.4", 1, 5),
    ("14.1", 1, 2), ("14.2", 1, 4), ("14.3", 1, 3),
    ("15.1", 1, 3), ("15.2", 1, 3), ("15.3", 1, 7),
    ("16.1", 1, 1), ("16.2", 1, 5), ("16.3", 1, 4), ("16.4", 1, 3), ("16.5", 1, 3),
    ("17.1", 1, 1), ("17.2", 1, 4), ("17.3", 1, 2),
]  # fmt: skip
CHAPTERS = [
    "Encoding and Sanitization", "Validation and Business Logic", "Web Frontend Security", "API and Web Service",
    "File Handling", "Authentication", "Session Management", "Authorization", "Self-contained Tokens",
    "OAuth and OIDC", "Cryptography", "Secure Communication", "Configuration", "Data Protection",
    "Secure Coding and Architecture", "Security Logging and Error Handling", "WebRTC",
]  # fmt: skip
STATUSES = ("met", "partly", "not met", "n.a.", "n.a. (operator)")
ROW = re.compile(r"^\| V(\d+\.\d+\.\d+) \| [^|]+ \| ([^|]+?) \|(.*)$")
TEST = re.compile(r"`((?:tests|doanket)/[\w/.]+\.py)::(\w+)`")


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    rows = {m.group(1): m for line in text.splitlines() if (m := ROW.match(line))}
    expected = [f"{s}.{n}" for s, first, last in LEVEL_1_2 for n in range(first, last + 1)]
    problems = [f"no row for V{i}" for i in expected if i not in rows]
    problems += [f"V{i} is not a level-1 or level-2 requirement" for i in rows if i not in expected]
    problems += [f"V{i}: status {m.group(2)!r}" for i, m in rows.items() if m.group(2) not in STATUSES]
    tests = sorted(set(TEST.findall(text)))
    for path, name in tests:
        file = ROOT / path
        if not file.exists() or not re.search(rf"^def {name}\(", file.read_text(encoding="utf-8"), re.M):
            problems.append(f"no test {path}::{name}")
    if "--tests" in sys.argv:
        print("\n".join(f"{path}::{name}" for path, name in tests))
        return 1 if problems else 0
    counts: dict[int, Counter[str]] = {c: Counter() for c in range(1, 18)}
    for i, m in rows.items():
        counts[int(i.split(".")[0])][m.group(2)] += 1
    print("| Chapter | Rows | met | partly | not met | n.a. | of which operator |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    total: Counter[str] = Counter()
    for c, name in enumerate(CHAPTERS, 1):
        k = counts[c]
        total.update(k)
        na = k["n.a."] + k["n.a. (operator)"]
        cells = [sum(k.values()), k["met"], k["partly"], k["not met"], na, k["n.a. (operator)"]]
        print(f"| V{c} {name} | " + " | ".join(str(n) for n in cells) + " |")
    na = total["n.a."] + total["n.a. (operator)"]
    print(
        f"| **All** | **{sum(total.values())}** | **{total['met']}** | **{total['partly']}** | **{total['not met']}** "
        f"| **{na}** | **{total['n.a. (operator)']}** |"
    )
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
