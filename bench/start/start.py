#!/usr/bin/env python3
"""Daemon start time with a big state: 1,000,000 events in the change log and 100,000 articles.

Usage: start.py HERALD_BINARY [--events N] [--articles N] [--feeds N] [--runs K] [--keep DIR]

Generates (once per run, in a temporary directory) a state directory in Herald's formats: segments under
changes/ (64 MiB each) with changes.ndjson hard-linked to the last, log.json, ledger.json, one feed state file per
feed with its entries, and one article file per article. Events are article.created for each article, then
feed.failed/feed.recovered pairs up to the event count. Then starts `herald run` K times with NOTIFY_SOCKET set and
prints the time from exec to READY=1 (the daemon has opened the log, recovered state and is serving).
"""
import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid

SEGMENT_BYTES = 64 << 20


def line(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def generate(state, events, articles, feeds):
    os.makedirs(state + "/changes")
    os.makedirs(state + "/feeds")
    os.makedirs(state + "/articles/.staging")
    epoch = str(uuid.uuid4())
    now = "2026-11-22T00:00:00.000Z"
    feed_entries = {f"feed-{i:03d}": {} for i in range(feeds)}
    seg_first, seg, seg_bytes, segments = 1, None, 0, []

    def open_segment(first):
        path = f"{state}/changes/{first:020d}.ndjson"
        segments.append(path)
        return open(path, "w", encoding="utf-8")

    seg = open_segment(1)
    for seq in range(1, events + 1):
        if seq <= articles:
            feed = f"feed-{(seq - 1) % feeds:03d}"
            text = f"Article {seq} text. " * 40
            digest = hashlib.sha256(text.encode()).hexdigest()
            article_id = "a" + hashlib.sha256(f"{feed}\n{seq}".encode()).hexdigest()[:16]
            path = f"articles/{digest[:2]}/{digest}.json"
            os.makedirs(f"{state}/articles/{digest[:2]}", exist_ok=True)
            with open(f"{state}/{path}", "w") as f:
                f.write(line({"authors": [], "content_hash": digest, "entry_key": str(seq), "extraction": {
                    "fields": {}, "source": "page"}, "feed_entry": {}, "feed_id": feed, "fetched_at": now,
                    "id": article_id, "tags": [], "text": text, "title": f"Article {seq}",
                    "url": f"https://example.org/{seq}"}))
            feed_entries[feed][str(seq)] = {"article_id": article_id, "content_hash": digest,
                                            "first_seen": now, "url": f"https://example.org/{seq}",
                                            "fingerprint": "- Article"}
            ev = {"data": {"article_id": article_id, "content_hash": digest, "entry_key": str(seq),
                           "feed_id": feed, "path": path, "source": "page", "title": f"Article {seq}",
                           "url": f"https://example.org/{seq}"},
                  "type": "herald.article.created", "subject": f"articles/{article_id}"}
        else:
            feed = f"feed-{seq % feeds:03d}"
            failed = seq % 2 == 0
            ev = {"data": {"feed_id": feed, "url": f"http://127.0.0.1:9/{feed}.xml",
                           **({"reason": "connection refused", "consecutive_errors": 1} if failed else {"failed_polls": 1})},
                  "type": "herald.feed.failed" if failed else "herald.feed.recovered", "subject": f"feeds/{feed}"}
        ev.update({"datacontenttype": "application/json", "epoch": epoch, "id": f"{epoch}:{seq}", "seq": seq,
                   "source": "herald", "specversion": "1.0", "time": now})
        text_line = line(ev) + "\n"
        data = text_line.encode()
        if seg_bytes + len(data) > SEGMENT_BYTES:
            seg.close()
            os.chmod(segments[-1], 0o444)
            seg, seg_bytes = open_segment(seq), 0
        seg.write(text_line)
        seg_bytes += len(data)
    seg.close()
    os.link(segments[-1], state + "/changes.ndjson")
    boot_id = open("/proc/sys/kernel/random/boot_id").read().strip()
    with open(state + "/log.json", "w") as f:
        f.write(line({"boot_id": boot_id, "clean_shutdown": True, "created": now, "epoch": epoch,
                      "epochs": [{"epoch": epoch, "first_seq": 1}], "first_seq": 1, "last_seq": events,
                      "updated": now}))
    with open(state + "/ledger.json", "w") as f:
        f.write(line({"applied_seq": events}))
    for feed, entries in feed_entries.items():
        with open(f"{state}/feeds/{feed}.json", "w") as f:
            f.write(line({"applied_seq": events, "consecutive_errors": 0, "entries": entries, "failing": False,
                          "id": feed, "url": f"http://127.0.0.1:9/{feed}.xml"}))


def time_to_ready(herald, config, notify_path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    if os.path.exists(notify_path):
        os.unlink(notify_path)
    sock.bind(notify_path)
    sock.settimeout(60)
    env = dict(os.environ, NOTIFY_SOCKET=notify_path)
    start = time.perf_counter()
    proc = subprocess.Popen([herald, "run", "--config", config], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    ready = None
    try:
        while ready is None:
            msg = sock.recv(4096).decode()
            if "READY=1" in msg:
                ready = time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        sock.close()
    return ready, proc.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("herald")
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--feeds", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep")
    args = ap.parse_args()
    base = args.keep or tempfile.mkdtemp(prefix="herald-start-")
    state = base + "/state"
    try:
        if not os.path.exists(state + "/log.json"):
            t = time.perf_counter()
            generate(state, args.events, args.articles, args.feeds)
            print(f"generated {args.events} events, {args.articles} articles, {args.feeds} feeds in "
                  f"{time.perf_counter() - t:.1f} s ({state})")
        config = base + "/herald.yaml"
        with open(config, "w") as f:
            f.write("state_dir: state\ninterval: 1h\nlog_level: warning\nfeeds:\n")
            for i in range(args.feeds):
                f.write(f"  - id: feed-{i:03d}\n    url: http://127.0.0.1:9/feed-{i:03d}.xml\n")
        for run in range(args.runs):
            ready, code = time_to_ready(args.herald, config, base + "/notify.sock")
            print(f"start {run + 1}: READY after {ready:.2f} s (exit {code} after SIGTERM)")
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
