#!/usr/bin/env python3
"""Extraction speed and memory: Herald's release build beside trafilatura, same pages, same run, one process each.

Usage: speed.py HERALD_BINARY DATA_DIR [--repeat N]

The benchmark pages (DATA_DIR/html/*.html.gz) are unpacked once into a temporary directory. Herald runs
`herald extract --dir` over a directory holding the pages N times (default 10), so process start-up is
amortised, once on one core (--jobs 1, the fair comparison) and once with a thread per core; trafilatura runs `trafilatura.extract` over the same pages N/5 times in this Python process
(at least once). Printed: pages per second for both, their ratio, Herald's peak RSS (from wait4's rusage of the
child process), and the parse-only floor (libxml2 via lxml) when lxml is importable.
"""
import argparse
import gc
import gzip
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("herald")
    ap.add_argument("data_dir")
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()

    pages = sorted(Path(args.data_dir, "html").glob("*.html.gz"))
    raw = [(p.name[: -len(".html.gz")], gzip.decompress(p.read_bytes())) for p in pages]
    tmp = Path(tempfile.mkdtemp(prefix="herald-speed-"))
    try:
        for r in range(args.repeat):
            for name, data in raw:
                (tmp / f"{r:02d}-{name}.html").write_bytes(data)
        total = len(raw) * args.repeat
        total_bytes = sum(len(d) for _, d in raw) * args.repeat
        names = [name for name, _ in raw]
        del raw
        gc.collect()

        # Herald: one process over every page; rusage of the child gives its peak RSS.
        def run_herald(jobs):
            # Linux keeps a forked child's peak RSS from before its exec, so a child of this process (which has
            # held every page) would report this process's size: GNU time, small itself, measures Herald instead.
            cmd = [args.herald, "extract", "--dir", str(tmp), "--jobs", str(jobs)]
            rss_file = tmp.parent / (tmp.name + ".rss")
            timed = Path("/usr/bin/time").exists()
            if timed:
                cmd = ["/usr/bin/time", "-f", "%M", "-o", str(rss_file)] + cmd
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
            for _ in iter(lambda: proc.stdout.read(1 << 16), b""):
                pass
            _, status, usage = os.wait4(proc.pid, 0)
            if status != 0:
                sys.exit(f"herald exited with status {status}")
            seconds = time.perf_counter() - start
            if timed:
                kilobytes = float(rss_file.read_text().split()[-1])
                rss_file.unlink()
                return seconds, kilobytes / 1024.0
            return seconds, usage.ru_maxrss / 1024.0

        herald_seconds, herald_rss_mb = run_herald(1)
        cores = os.cpu_count() or 1
        parallel_seconds, parallel_rss_mb = run_herald(cores) if cores > 1 else (None, None)

        # trafilatura, in this process.
        import trafilatura

        raw = [(name, (tmp / f"00-{name}.html").read_bytes()) for name in names]

        texts = [d.decode("utf8", errors="replace") for _, d in raw]
        passes = max(1, args.repeat // 5)
        start = time.perf_counter()
        for _ in range(passes):
            for html in texts:
                trafilatura.extract(html, include_comments=False)
        traf_seconds = time.perf_counter() - start
        traf_pages = len(texts) * passes

        floor = None
        try:
            import lxml.html

            start = time.perf_counter()
            for _ in range(passes):
                for _, data in raw:
                    lxml.html.fromstring(data)
            floor = len(raw) * passes / (time.perf_counter() - start)
        except ImportError:
            pass

        hps = total / herald_seconds
        tps = traf_pages / traf_seconds
        print(f"pages: {len(raw)} distinct, {total / 1:.0f} extracted by Herald ({total_bytes / 1e6:.1f} MB of HTML)")
        print(f"herald      {hps:9.1f} pages/s   ({herald_seconds:.2f} s for {total} pages)   peak RSS {herald_rss_mb:.1f} MB")
        print(f"trafilatura {tps:9.1f} pages/s   ({traf_seconds:.2f} s for {traf_pages} pages)")
        print(f"ratio       {hps / tps:9.1f}x   (one core each)")
        if parallel_seconds:
            pps = total / parallel_seconds
            print(f"herald --jobs {cores} {pps:7.1f} pages/s   ({parallel_seconds:.2f} s)   peak RSS {parallel_rss_mb:.1f} MB   "
                  f"ratio {pps / tps:.1f}x (one process, {cores} threads, vs trafilatura's one)")
        if floor:
            print(f"lxml parse  {floor:9.1f} pages/s   (parse-only floor)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
