"""Select the SudachiDict synonym groups that bridge a caller's word and the plans' wording.

A group is kept when, among its members that trigger expansion (expansion flag 0 or empty:
flag 1 words only receive expansions, flag 2 lines are deletion history), at least one
occurs in the plans and at least one does not: those are the groups through which a word
the plans never use reaches one they do. A member occurs when its NFKC text is in the NFKC
text of the plans with all whitespace removed.

Kept groups are written unchanged (every line, flags included, original group ids), one
blank line between groups, after a header naming the source, its commit, the licence and
the command. Reproduce ``data/synonyms/synonyms.txt`` from the repository root::

    git --git-dir=SudachiDict/.git show COMMIT:src/main/text/synonyms.txt > /tmp/synonyms.txt
    python data/synonyms/select_groups.py /tmp/synonyms.txt data/plans/ \\
        --commit COMMIT --out data/synonyms/synonyms.txt

Needs only the standard library.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
import unicodedata
from pathlib import Path

SOURCE_REPOSITORY = "https://github.com/WorksApplications/SudachiDict"
SOURCE_PATH = "src/main/text/synonyms.txt"
_GROUP, _EXPANSION, _WORD = 0, 2, 8
_TRIGGERS = {"", "0"}
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC with every whitespace character removed: how members and plans are compared."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def read_groups(source: Path) -> dict[str, list[str]]:
    """Raw lines of each group of a SudachiDict synonyms file, by group id, in file order."""
    groups: dict[str, list[str]] = {}
    with source.open(encoding="utf-8", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            fields = next(csv.reader([line], strict=True))
            if len(fields) != 11:
                raise SystemExit(f"{source}:{number}: expected 11 fields, found {len(fields)}")
            groups.setdefault(fields[_GROUP], []).append(line)
    return groups


def triggers(lines: list[str]) -> list[str]:
    """The words of a group that trigger expansion (expansion flag 0 or empty)."""
    words = []
    for line in lines:
        fields = next(csv.reader([line], strict=True))
        if fields[_EXPANSION] in _TRIGGERS:
            words.append(fields[_WORD])
    return words


def bridges(words: list[str], plans_text: str) -> bool:
    """Whether some word occurs in the plans and some other word does not."""
    found = [normalize(word) in plans_text for word in words]
    return any(found) and not all(found)


def plans_text(plans_dir: Path) -> str:
    files = sorted(plans_dir.glob("*.txt"))
    if not files:
        raise SystemExit(f"{plans_dir}: no .txt plan files")
    return "".join(normalize(path.read_text(encoding="utf-8-sig")) for path in files)


def header(source: Path, commit: str, plans_dir: Path, kept: int, total: int) -> list[str]:
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    return [
        "# SudachiDict synonym groups that link a word the plans never use to one they do.",
        f"# Source: {SOURCE_REPOSITORY} {SOURCE_PATH}",
        f"# Commit: {commit} (sha256 of the file: {digest})",
        "# Licence: Apache License 2.0, Copyright (c) 2017-2023 Works Applications Co., Ltd.;"
        " see NOTICE and LICENSE beside this file.",
        f"# Selection: {kept} of {total} groups; a group is kept when one of its expansion"
        f" members (flag 0) occurs in {plans_dir.as_posix()}/*.txt and another does not"
        " (NFKC, whitespace removed). Lines are unchanged; only this header is added.",
        f"# Command: python data/synonyms/select_groups.py synonyms.txt {plans_dir.as_posix()}/"
        f" --commit {commit} --out data/synonyms/synonyms.txt",
        "# Format (docs/synonyms.md of the source): group id, 体言/用言, expansion flag"
        " (0 expands, 1 only receives, 2 deleted), lexeme no., form type, abbreviation,"
        " variant, field, headword, reserved, reserved.",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="SudachiDict src/main/text/synonyms.txt")
    parser.add_argument("plans", type=Path, help="directory of the plan .txt files")
    parser.add_argument("--commit", default="unknown", help="SudachiDict commit of the source")
    parser.add_argument("--out", type=Path, help="output file (default: standard output)")
    args = parser.parse_args(argv)

    text = plans_text(args.plans)
    groups = read_groups(args.source)
    kept = [lines for lines in groups.values() if bridges(triggers(lines), text)]
    plans_dir = Path(args.plans.as_posix().rstrip("/"))
    out = header(args.source, args.commit, plans_dir, len(kept), len(groups))
    for lines in kept:
        out.append("")
        out.extend(lines)
    document = "\n".join(out) + "\n"
    if args.out is None:
        sys.stdout.write(document)
    else:
        args.out.write_text(document, encoding="utf-8")
    print(f"kept {len(kept)} of {len(groups)} groups", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
