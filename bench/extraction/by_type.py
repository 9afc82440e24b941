#!/usr/bin/env python3
"""Main-text F1 by page type: Herald beside trafilatura on the same pages, in the same run.

Usage: by_type.py HERALD_BINARY DATA_DIR [--trafilatura-cache FILE] [--worst N] [--type T]

DATA_DIR is a set in eval_extraction.py's shape whose ground truth carries `page_type` (WCXB: CC-BY-4.0, Murrough
Foley 2026; see its LICENSE). Scores with eval_extraction.py's metric (shingle F1 over mean precision and recall)
overall, per page type and on two halves split by a hash of the page id (tune on one half, check on the other), and
gives the paired bootstrap (Herald minus trafilatura) for each row. `--trafilatura-cache` keeps trafilatura's
output between tuning runs (its figures are then not from the same run: use it for tuning only).
"""
import argparse
import gzip
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def load_eval(data_dir: Path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("eval_extraction", data_dir.parent / "eval_extraction.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def half(page_id: str) -> str:
    return "even" if hashlib.sha1(page_id.encode()).digest()[0] % 2 == 0 else "odd"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("herald")
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--trafilatura-cache", type=Path)
    ap.add_argument("--worst", type=int, default=0)
    ap.add_argument("--type", default=None, help="list worst pages of this page type only")
    ap.add_argument("--n-bootstrap", type=int, default=300)
    ap.add_argument("--dump", type=Path, help="write Herald's texts as JSON {id: text}")
    a = ap.parse_args()
    ev = load_eval(a.data_dir.resolve())
    gt = json.loads((a.data_dir / "ground-truth.json").read_text("utf8"))
    ids = sorted(gt)
    gt_texts = {i: gt[i].get("articleBody", "") for i in ids}
    with tempfile.TemporaryDirectory(prefix="herald-bytype-") as tmp:
        htmls = {}
        for i in ids:
            data = gzip.decompress((a.data_dir / "html" / f"{i}.html.gz").read_bytes())
            Path(tmp, f"{i}.html").write_bytes(data)
            htmls[i] = data
        t0 = time.perf_counter()
        out = subprocess.run([a.herald, "extract", "--dir", tmp], capture_output=True, check=True).stdout
        herald_wall = time.perf_counter() - t0
    ours = {}
    for line in out.splitlines():
        rec = json.loads(line)
        ours[ev._norm_id(rec["id"])] = rec.get("text") or ""
    if a.dump:
        a.dump.write_text(json.dumps(ours, ensure_ascii=False))
    theirs = None
    if a.trafilatura_cache and a.trafilatura_cache.exists():
        theirs = json.loads(a.trafilatura_cache.read_text("utf8"))
        traf_wall = None
    if theirs is None:
        import trafilatura
        t0 = time.perf_counter()
        theirs = {i: trafilatura.extract(htmls[i].decode("utf8", "replace"), include_comments=False) or ""
                  for i in ids}
        traf_wall = time.perf_counter() - t0
        if a.trafilatura_cache:
            a.trafilatura_cache.write_text(json.dumps(theirs, ensure_ascii=False))

    tf_o = {i: ev.string_shingle_matching(gt_texts[i], ours.get(i) or "") for i in ids}
    tf_t = {i: ev.string_shingle_matching(gt_texts[i], theirs.get(i) or "") for i in ids}

    def empty(preds, sel):
        return sum(1 for i in sel if not ev._tokenize(preds.get(i) or ""))

    groups = [("all", ids)]
    for t in sorted({gt[i].get("page_type", "?") for i in ids}):
        groups.append((t, [i for i in ids if gt[i].get("page_type", "?") == t]))
    groups += [("half:even", [i for i in ids if half(i) == "even"]),
               ("half:odd", [i for i in ids if half(i) == "odd"])]
    print(f"set {a.data_dir.name}: {len(ids)} pages; herald wall {herald_wall:.1f}s"
          + (f", trafilatura {traf_wall:.1f}s (same run)" if traf_wall is not None else ", trafilatura cached"))
    print(f"{'group':<15}{'n':>5}  {'herald F1':>9} {'P':>6} {'R':>6} {'empty':>5}   {'traf F1':>7} {'P':>6} {'R':>6}"
          f" {'empty':>5}   {'diff (paired bootstrap)':>24}")
    for name, sel in groups:
        mo = ev.metrics_from_tp_fp_fns([tf_o[i] for i in sel])
        mt = ev.metrics_from_tp_fp_fns([tf_t[i] for i in sel])
        d = ev.bootstrap_diff([tf_o[i] for i in sel], [tf_t[i] for i in sel], a.n_bootstrap)["f1"]
        print(f"{name:<15}{len(sel):>5}  {mo['f1']:9.3f} {mo['precision']:6.3f} {mo['recall']:6.3f} "
              f"{empty(ours, sel):5d}   {mt['f1']:7.3f} {mt['precision']:6.3f} {mt['recall']:6.3f} "
              f"{empty(theirs, sel):5d}   {d[0]:+.3f} ± {d[1]:.3f}")
    if a.worst:
        sel = [i for i in ids if a.type is None or gt[i].get("page_type") == a.type]
        gap = sorted(sel, key=lambda i: ev.doc_f1(*tf_o[i]) - ev.doc_f1(*tf_t[i]))
        print(f"\n{a.worst} pages where Herald trails trafilatura most (herald F1, trafilatura F1, type, half):")
        for i in gap[: a.worst]:
            print(f"  {i}  {ev.doc_f1(*tf_o[i]):.2f}  {ev.doc_f1(*tf_t[i]):.2f}  {gt[i].get('page_type')}  "
                  f"{half(i)}  {gt[i].get('url', '')[:80]}")


if __name__ == "__main__":
    main()
