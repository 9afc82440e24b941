#!/usr/bin/env python3
"""Metadata find-rates: Herald beside trafilatura on the same pages, same run.

Usage: meta.py HERALD_BINARY DATA_DIR WRAPPER

For every page of DATA_DIR/html: does each extractor find a title, a published date, an author? Where both give a
published date, do they agree on the day? Herald's date keeps the page's offset, so the day compared is the
calendar day as written (the first 10 characters), as trafilatura reports it.
"""
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path


def main():
    herald, data_dir, wrapper = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    with tempfile.TemporaryDirectory(prefix="herald-meta-") as tmp:
        for p in sorted((data_dir / "html").glob("*.html.gz")):
            Path(tmp, p.name[: -len(".gz")]).write_bytes(gzip.decompress(p.read_bytes()))
        ours = {}
        for line in subprocess.run([herald, "extract", "--dir", tmp], capture_output=True, check=True).stdout.splitlines():
            rec = json.loads(line)
            ours[rec["id"]] = rec
        theirs = {}
        out = subprocess.run([sys.executable, wrapper, "--batch", tmp, "--meta"], capture_output=True, check=True).stdout
        for line in out.splitlines():
            rec = json.loads(line)
            theirs[rec["id"]] = rec
    ids = sorted(set(ours) & set(theirs))
    n = len(ids)

    def has(v):
        return bool(v) and (not isinstance(v, list) or any(v))

    rows = []
    for field, ofield, tfield in [("title", "title", "title"), ("published date", "published", "date"),
                                  ("author", "authors", "author")]:
        o = sum(has(ours[i].get(ofield)) for i in ids)
        t = sum(has(theirs[i].get(tfield)) for i in ids)
        rows.append((field, o, t))
    both = [i for i in ids if ours[i].get("published") and theirs[i].get("date")]
    agree = [i for i in both if ours[i]["published"][:10] == theirs[i]["date"][:10]]
    print(f"pages: {n}")
    print(f"{'field':16} {'herald':>8} {'trafilatura':>12}")
    for field, o, t in rows:
        print(f"{field:16} {o:5d}/{n} {t:9d}/{n}")
    pct = 100.0 * len(agree) / len(both) if both else 0.0
    print(f"published day agreement where both found one: {len(agree)}/{len(both)} = {pct:.1f}%")
    for i in sorted(set(both) - set(agree))[:10]:
        print(f"  differs {i[:12]}: herald {ours[i]['published']}  trafilatura {theirs[i]['date']}")
    # Find-rates count any value; the values behind the difference are listed so a reader can judge them.
    only_theirs = [i for i in ids if has(theirs[i].get("author")) and not has(ours[i].get("authors"))]
    only_ours = [i for i in ids if has(ours[i].get("authors")) and not has(theirs[i].get("author"))]
    print(f"author found by trafilatura only: {len(only_theirs)}")
    for i in only_theirs:
        print(f"  {i[:12]}: trafilatura {theirs[i]['author']!r}")
    print(f"author found by herald only: {len(only_ours)}")
    for i in only_ours:
        print(f"  {i[:12]}: herald {'; '.join(ours[i]['authors'])!r}")


if __name__ == "__main__":
    main()
