"""Runs the feed-parser speed comparison for bench/feeds/speed (see there). Prints a table."""
import json
import os
import resource
import subprocess
import sys
import time

LIST, HERALD, BENCH = sys.argv[1:4]
paths = [p for p in open(LIST).read().splitlines() if p]

# One child per peer and mode; the child reports its own wall time and peak RSS.
CHILD = r'''
import json, resource, sys, time
name, mode, listfile = sys.argv[1:4]
paths = [p for p in open(listfile).read().splitlines() if p]
if name == "feedparser":
    import feedparser
    parse = feedparser.parse
elif name == "feedparser-rs":
    import feedparser_rs
    parse = feedparser_rs.parse
else:
    import fastfeedparser
    def parse(data):
        try:
            return fastfeedparser.parse(data)
        except Exception:
            return None
def run(data):
    try:
        return parse(data)
    except Exception:
        return None
if mode == "end-to-end":
    started = time.perf_counter()
    out = open("/dev/null", "w")
    for p in paths:
        with open(p, "rb") as f:
            r = run(f.read())
        out.write(repr(r)[:64])
    best = time.perf_counter() - started
else:
    docs = [open(p, "rb").read() for p in paths]
    best = 1e9
    best_cpu = 1e9
    for _ in range(3):
        started = time.perf_counter()
        cpu_started = time.process_time()
        for d in docs:
            run(d)
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu_started)
print(json.dumps({"seconds": best, "cpu": best_cpu if mode != "end-to-end" else None,
                  "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
'''

rows = []
# Herald end to end: the whole process, JSON written to /dev/null.
rss_file = LIST + ".rss"
command = [HERALD, "parse-feed", "--list", LIST]
if os.path.exists("/usr/bin/time"):
    command = ["/usr/bin/time", "-f", "%M", "-o", rss_file] + command
started = time.perf_counter()
subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
elapsed = time.perf_counter() - started
herald_rss = int(open(rss_file).read().split()[-1]) if os.path.exists(rss_file) else None
if os.path.exists(rss_file):
    os.remove(rss_file)
rows.append(("herald parse-feed --list", "end-to-end", elapsed, herald_rss, None))
# Herald parse-only, in process.
out = subprocess.run([BENCH, "--rounds", "3", LIST], capture_output=True, text=True).stdout
report = json.loads(out)
rows.append(("herald (HeraldFeedsBench)", "parse-only", report["best_seconds"], report["peak_rss_kb"],
             report["best_cpu_seconds"]))
for name in ["fastfeedparser", "feedparser-rs", "feedparser"]:
    for mode in ["end-to-end", "parse-only"]:
        started = time.perf_counter()
        res = subprocess.run([sys.executable, "-c", CHILD, name, mode, LIST], capture_output=True, text=True)
        wall = time.perf_counter() - started
        if res.returncode != 0:
            rows.append((name, mode, None, None, None))
            continue
        info = json.loads(res.stdout.strip().splitlines()[-1])
        # End to end includes interpreter start and imports: the child's wall time from outside.
        rows.append((name, mode, wall if mode == "end-to-end" else info["seconds"], info["rss_kb"], info.get("cpu")))

print(f"{len(paths)} files")
print(f"{'parser':28} {'mode':11} {'seconds':>8} {'feeds/s':>9} {'feeds/CPU-s':>11} {'peak MB':>8}")
for name, mode, seconds, rss, cpu in rows:
    rate = f"{len(paths) / seconds:9.0f}" if seconds else "   failed"
    secs = f"{seconds:8.3f}" if seconds else "       -"
    per_cpu = f"{len(paths) / cpu:11.0f}" if cpu else "          -"
    mem = f"{rss / 1024:8.1f}" if rss else "       -"
    print(f"{name:28} {mode:11} {secs} {rate} {per_cpu} {mem}")
