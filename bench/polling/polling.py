#!/usr/bin/env python3
"""Polling benchmark: Herald against nginx serving N generated feeds on 100+ loopback hosts, beside curl.

Usage: polling.py [--feeds N ...] [--quick] [--fsync-delay-us D] [--herald-setting KEY=VALUE ...] [...]
See bench/polling/README.md for what each figure means and how it is measured.
"""
import argparse
import collections
import ctypes
import datetime
import email.utils
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import sitegen

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHILDREN = []          # every process we started, stopped in reverse order at exit
LIBC = ctypes.CDLL(None, use_errno=True)
TICKS = os.sysconf("SC_CLK_TCK")
ARTICLE_EVENTS = ("herald.article.created", "herald.article.duplicate")


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def die_with_parent():
    LIBC.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: nothing outlives the benchmark, even after a SIGKILL


def spawn(args, **kw):
    proc = subprocess.Popen(args, preexec_fn=die_with_parent, **kw)
    CHILDREN.append(proc)
    return proc


def stop(proc, timeout=30, sig=signal.SIGTERM):
    """Stops `proc` (SIGTERM, then SIGKILL after `timeout` s); returns the seconds it took to exit."""
    start = time.monotonic()
    if proc.poll() is None:
        try:
            proc.send_signal(sig)
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            log(f"pid {proc.pid} did not exit within {timeout} s: SIGKILL")
            proc.kill()
            proc.wait()
    if proc in CHILDREN:
        CHILDREN.remove(proc)
    return time.monotonic() - start


def stop_all(*_):
    for proc in reversed(list(CHILDREN)):
        stop(proc, timeout=10)


def on_signal(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


# ---------------------------------------------------------------- nginx

def loopback_hosts(count):
    return [f"127.0.{1 + i // 250}.{1 + i % 250}" for i in range(count)]


def free_port(hosts):
    """A port that is free on every host address (bound and released once on each)."""
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(20000, 60000)
        socks = []
        try:
            for h in hosts + ["127.0.0.1"]:
                s = socket.socket()
                socks.append(s)
                s.bind((h, port))
            return port
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise SystemExit("no free port found on the loopback addresses")


def ensure_tools():
    if not shutil.which("nginx") and not os.path.exists("/usr/sbin/nginx"):
        log("nginx missing: apt-get install -y nginx")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "nginx"], check=True, env=env)
    for tool in ("curl", "strace"):
        if not shutil.which(tool):
            subprocess.run(["apt-get", "install", "-y", tool], check=True)
    return shutil.which("nginx") or "/usr/sbin/nginx"


NGINX_CONF = """worker_processes 2;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    log_format bench escape=json '{{"t":"$msec","a":"$remote_addr","h":"$host","r":"$request","s":"$status",'
        '"b":"$body_bytes_sent","rt":"$request_time","inm":"$http_if_none_match","ims":"$http_if_modified_since",'
        '"ua":"$http_user_agent"}}';
    access_log {prefix}/access.log bench buffer=512k flush=500ms;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    types {{ text/html html; application/rss+xml xml; }}
    default_type application/octet-stream;
    charset utf-8;
    charset_types application/rss+xml;
    sendfile on;
    etag on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    server {{
{listen}
        server_name _;
        root {root};
        location / {{ }}
    }}
}}
"""


class Nginx:
    def __init__(self, binary, prefix, root, hosts, port):
        self.prefix, self.log_path = prefix, os.path.join(prefix, "access.log")
        os.makedirs(os.path.join(prefix, "tmp"), exist_ok=True)
        listen = "\n".join(f"        listen {h}:{port};" for h in hosts)
        conf = os.path.join(prefix, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(prefix=prefix, root=root, listen=listen))
        self.proc = spawn([binary, "-p", prefix, "-c", conf, "-e", os.path.join(prefix, "error.log")],
                          stdout=subprocess.DEVNULL, stderr=open(os.path.join(prefix, "stderr.log"), "w"))
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection((hosts[-1], port), timeout=1).close()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"nginx did not start: {open(os.path.join(prefix, 'error.log')).read()}")
                time.sleep(0.1)
        self.reader = AccessLog(self.log_path)

    def stop(self):
        stop(self.proc)


Request = collections.namedtuple("Request", "t host path status inm ims agent")


class AccessLog:
    """Reads nginx's access log incrementally (only the fields the benchmark uses)."""

    def __init__(self, path):
        self.path, self.offset, self.lines = path, 0, []

    def refresh(self):
        """Reads what was appended; returns the new requests."""
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            return []
        end = data.rfind(b"\n") + 1
        self.offset += end
        new = []
        for raw in data[:end].splitlines():
            try:
                d = json.loads(raw)
            except ValueError:
                continue
            parts = d["r"].split(" ")
            new.append(Request(float(d["t"]), d["h"], parts[1] if len(parts) > 1 else d["r"], d["s"],
                               d["inm"] not in ("", "-"), d["ims"] not in ("", "-"), d["ua"].split("/")[0]))
        self.lines += new
        return new

    def window(self, start, end=float("inf"), agent=None):
        self.refresh()
        return [d for d in self.lines if start <= d.t < end and (agent is None or d.agent == agent)]


def busiest(reqs):
    """(most requests one host got in one second, most requests in one second over all hosts, hosts asked)."""
    per_host = collections.Counter((d.host, int(d.t)) for d in reqs)
    overall = collections.Counter(int(d.t) for d in reqs)
    failed = sum(1 for d in reqs if d.status not in ("200", "304") and d.path != "/robots.txt")
    return {"host_per_s": max(per_host.values(), default=0), "all_per_s": max(overall.values(), default=0),
            "hosts": len({d.host for d in reqs}), "requests": len(reqs), "failed": failed}


# ---------------------------------------------------------------- Herald

class ChangeLog:
    """Follows the change log by reading its segment files (changes/*.ndjson) from where it stopped, keeping the
    article events (type, seq, time) and the feed failures."""

    KEEP = ARTICLE_EVENTS + ("herald.article.updated", "herald.feed.failed")

    def __init__(self, state):
        self.dir, self.offsets, self.events, self.seq = os.path.join(state, "changes"), {}, [], 0

    def refresh(self):
        """Reads what was appended; returns the new events (only the kinds in KEEP)."""
        try:
            names = sorted(n for n in os.listdir(self.dir) if n.endswith(".ndjson"))
        except FileNotFoundError:
            return []
        new = []
        for name in names:
            offset = self.offsets.get(name, 0)
            with open(os.path.join(self.dir, name), "rb") as f:
                f.seek(offset)
                data = f.read()
            end = data.rfind(b"\n") + 1
            self.offsets[name] = offset + end
            for raw in data[:end].splitlines():
                if not any(k.encode() in raw for k in self.KEEP):
                    continue
                try:
                    ev = json.loads(raw)
                except ValueError:
                    continue
                if ev.get("seq", 0) <= self.seq or ev.get("type") not in self.KEEP:
                    continue
                self.seq = ev["seq"]
                new.append(Event(ev["type"], ev["seq"], iso_seconds(ev.get("time", ""))))
        self.events += new
        return new

    def since(self, t, types=ARTICLE_EVENTS):
        self.refresh()
        return [e for e in self.events if e.type in types and e.t >= t]


Event = collections.namedtuple("Event", "type seq t")


def iso_seconds(text):
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


class Daemon:
    """`herald run` (optionally under strace), with READY from its notify socket and CPU/RSS from /proc."""

    def __init__(self, binary, config, workdir, name, strace=None):
        self.sock_path = os.path.join(workdir, f"notify-{name}.sock")
        if os.path.exists(self.sock_path):
            os.unlink(self.sock_path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.sock_path)
        self.sock.settimeout(0.2)
        env = dict(os.environ, NOTIFY_SOCKET=self.sock_path)
        env.pop("WATCHDOG_USEC", None)
        args = [binary, "run", "--config", config]
        if strace:
            args = ["strace", "-f", "--seccomp-bpf", "-qq"] + strace + ["--"] + args
        self.stderr_path = os.path.join(workdir, f"herald-{name}.log")
        self.started = time.time()
        self.proc = spawn(args, stdout=subprocess.DEVNULL, stderr=open(self.stderr_path, "w"), env=env)
        self.pid = self.proc.pid
        if strace:
            self.pid = self.find_child(self.proc.pid, binary)
        self.ready_at = None
        self.ready_cpu = None
        self.ready = threading.Event()
        self.closed = False
        # Herald sends STATUS/WATCHDOG notifications all along, with a blocking send: drain the socket always,
        # as systemd does (a full datagram queue would stall the daemon).
        self.reader = threading.Thread(target=self.drain, daemon=True)
        self.reader.start()

    def drain(self):
        while not self.closed:
            try:
                msg = self.sock.recv(4096).decode(errors="replace")
            except socket.timeout:
                continue
            except OSError:
                return
            if not self.ready.is_set() and "READY=1" in msg.split("\n"):
                self.ready_at = time.time()
                self.ready_cpu = self.cpu()
                self.ready.set()

    @staticmethod
    def find_child(pid, binary, timeout=20):
        """The herald process strace started (strace may fork short-lived helpers first)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    kids = f.read().split()
                for kid in kids:
                    try:
                        with open(f"/proc/{kid}/cmdline", "rb") as f:
                            argv = f.read().split(b"\0")
                    except FileNotFoundError:
                        continue
                    if argv[0] == binary.encode() and argv[1:2] == [b"run"]:
                        return int(kid)
            time.sleep(0.02)
        raise SystemExit("strace did not start herald")

    def wait_ready(self, timeout=120):
        deadline = time.monotonic() + timeout
        while not self.ready.wait(0.05):
            if self.proc.poll() is not None:
                raise SystemExit(f"herald exited with {self.proc.returncode}: {self.tail_stderr()}")
            if time.monotonic() > deadline:
                raise SystemExit(f"herald did not report READY within {timeout} s: {self.tail_stderr()}")
        return self.ready_at - self.started

    def tail_stderr(self):
        with open(self.stderr_path, errors="replace") as f:
            return f.read()[-2000:]

    def cpu(self):
        try:
            with open(f"/proc/{self.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / TICKS
        except (FileNotFoundError, ProcessLookupError):
            return None

    def hwm_mb(self):
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except FileNotFoundError:
            return None

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.pid != self.proc.pid and self.alive():
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                pass
        seconds = stop(self.proc)
        if self.pid != self.proc.pid:  # strace is gone; its tracee must not outlive it
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.closed = True
        self.reader.join()
        self.sock.close()
        return seconds


def yaml_scalar(value):
    if re.fullmatch(r"[A-Za-z0-9_.:/+@-]+", value):
        return value
    return json.dumps(value)


def write_config(path, state, site, feeds, settings):
    """A Herald configuration for `feeds` of `site`. `settings` maps dotted keys ("limits.x") to YAML scalars."""
    top, nested = {}, {}
    for key, value in settings.items():
        if "." in key:
            section, name = key.split(".", 1)
            nested.setdefault(section, {})[name] = value
        else:
            top[key] = value
    lines = [f"state_dir: {state}"]
    for key, value in top.items():
        lines.append(f"{key}: {yaml_scalar(value)}")
    for section, values in nested.items():
        lines.append(f"{section}:")
        lines += [f"  {k}: {yaml_scalar(v)}" for k, v in values.items()]
    lines.append("feeds:")
    for i in feeds:
        lines += [f"  - id: f{i:05d}", f"    url: {site.feed_url(i)}"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


LIMIT_KEYS = {"per_host_connections", "per_host_delay", "concurrent_feeds", "concurrent_pages", "max_body_bytes",
              "max_entries_per_feed", "connect_timeout", "total_timeout", "max_redirects", "max_backoff"}


def settings_for(binary, workdir, requested):
    """The base settings plus `requested`, minus those this Herald binary does not know (checked with
    `herald check-config`: a key reported as unknown is tried in the other place, top level ↔ `limits.`, then
    dropped with a warning). So the same command line works before and after a setting exists."""
    # backlog 20: every entry of a new feed gets its page, so a first cycle is 20 N articles (left out, like any
    # setting, by a binary that does not know it)
    settings = {"contact": "mailto:bench@example.org", "interval": "1h", "jitter": "0.1",
                "allow_private_networks": "true", "log_level": "warning", "backlog": "20"}
    for key, value in requested:
        if "." not in key and key in LIMIT_KEYS:
            key = "limits." + key
        settings[key] = value
    probe = os.path.join(workdir, "probe.yaml")
    moved = set()
    for _ in range(len(settings) * 2 + 2):
        with open(probe, "w") as f:
            f.write("\n".join(f"{k}: {yaml_scalar(v)}" for k, v in settings.items() if "." not in k) + "\n")
            for section in sorted({k.split(".")[0] for k in settings if "." in k}):
                f.write(f"{section}:\n" + "".join(f"  {k.split('.', 1)[1]}: {yaml_scalar(v)}\n"
                                                  for k, v in settings.items() if k.startswith(section + ".")))
            f.write("feeds:\n  - id: probe\n    url: http://127.0.0.1:9/feed.xml\n")
        out = subprocess.run([binary, "check-config", "--config", probe], capture_output=True, text=True)
        unknown = re.findall(r"([A-Za-z0-9_.\[\]]+): unknown setting", out.stdout + out.stderr)
        if out.returncode == 0 or not unknown:
            if out.returncode != 0:
                raise SystemExit(f"herald check-config rejects the settings:\n{out.stdout}{out.stderr}")
            return settings
        for key in unknown:
            if key not in settings:
                continue
            value = settings.pop(key)
            other = key.split(".", 1)[1] if key.startswith("limits.") else "limits." + key
            movable = "." not in other.removeprefix("limits.")
            if movable and other not in moved:
                moved.add(key)
                settings[other] = value
            else:
                log(f"this herald does not know the setting {key.split('.')[-1]}: left out")
    raise SystemExit("could not settle the Herald settings")


def make_all_due(state):
    """Moves every saved `next_poll` (any JSON key containing next_poll, outside articles/ and changes/) to
    2000-01-01, so every feed is due when the daemon starts. Returns how many values were changed."""
    changed = 0
    past_text, past_num = "2000-01-01T00:00:00.000Z", 946684800

    def walk(node):
        nonlocal changed
        if isinstance(node, dict):
            for k, v in node.items():
                if "next_poll" in k and isinstance(v, str) and v:
                    node[k], changed = past_text, changed + 1
                elif "next_poll" in k and isinstance(v, (int, float)) and not isinstance(v, bool):
                    node[k], changed = past_num, changed + 1
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for base, dirs, files in os.walk(state):
        rel = os.path.relpath(base, state)
        if rel.split(os.sep)[0] in ("articles", "changes"):
            dirs[:] = []
            continue
        for name in files:
            if not (name.endswith(".json") or name.endswith(".ndjson")):
                continue
            path = os.path.join(base, name)
            with open(path, "rb") as f:
                raw = f.read()
            if b"next_poll" not in raw:
                continue
            before = changed
            # One JSON document, or one per line (the schedule journal and its snapshot).
            try:
                docs, lines = [json.loads(raw)], False
            except ValueError:
                docs = [json.loads(line) for line in raw.splitlines() if line.strip()]
                lines = True
            for doc in docs:
                walk(doc)
            if changed != before:
                tmp = path + ".bench"
                with open(tmp, "w") as f:
                    if lines:
                        for doc in docs:
                            f.write(json.dumps(doc, sort_keys=True, separators=(",", ":")) + "\n")
                    else:
                        json.dump(docs[0], f, sort_keys=True, separators=(",", ":"))
                    f.flush()
                    os.fsync(f.fileno())
                os.rename(tmp, path)
    return changed


def dir_usage(path):
    files, apparent, disk = 0, 0, 0
    for base, _dirs, names in os.walk(path):
        for name in names:
            st = os.lstat(os.path.join(base, name))
            files += 1
            apparent += st.st_size
            disk += st.st_blocks * 512
    return files, apparent, disk


# ---------------------------------------------------------------- curl

def nginx_etag(path):
    st = os.stat(path)
    return f'"{int(st.st_mtime):x}-{st.st_size:x}"', email.utils.formatdate(int(st.st_mtime), usegmt=True)


def run_curl(workdir, name, transfers, parallel, chunk=5000):
    """Fetches `transfers` ([(url, [headers])]) with `curl --parallel --parallel-max K`, `chunk` transfers per curl
    process, one process after the other (curl 7.88's parallel mode slows down superlinearly with tens of
    thousands of transfers in one command). Returns (wall s, CPU s) summed over the processes."""
    wall, cpu = 0.0, 0.0
    for part in range(0, len(transfers), chunk):
        cfg = os.path.join(workdir, f"curl-{name}-{part // chunk}.cfg")
        with open(cfg, "w") as f:
            for i, (url, headers) in enumerate(transfers[part:part + chunk]):
                if i:
                    f.write("next\n")
                f.write(f'url = "{url}"\noutput = "/dev/null"\nsilent\nshow-error\n')
                for h in headers:
                    f.write("header = " + json.dumps(h) + "\n")
        args = ["curl", "--silent", "--show-error", "--parallel", "--parallel-immediate", "--parallel-max",
                str(parallel), "--config", cfg]
        err = os.path.join(workdir, f"curl-{name}.err")
        start = time.monotonic()
        with open(err, "a") as errf:
            proc = spawn(args, stdout=subprocess.DEVNULL, stderr=errf)
            _, status, usage = os.wait4(proc.pid, 0)
        wall += time.monotonic() - start
        cpu += usage.ru_utime + usage.ru_stime
        proc.returncode = os.waitstatus_to_exitcode(status)
        CHILDREN.remove(proc)
        if proc.returncode != 0:
            with open(err, errors="replace") as f:
                log(f"curl {name} exited with {proc.returncode}: {f.read()[-500:]}")
    return wall, cpu


# ---------------------------------------------------------------- phases

class Bench:
    def __init__(self, args, n, work, nginx_bin, hosts, port):
        self.args, self.n, self.work = args, n, work
        self.binary = args.binary
        self.site_root = os.path.join(work, "site")
        if os.path.exists(work):  # a kept run: keep an untouched site (see site.json), drop everything else
            marker = os.path.join(work, "site.json")
            for name in os.listdir(work):
                if name not in ("site", "site.json"):
                    path = os.path.join(work, name)
                    shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.unlink(path)
        os.makedirs(self.site_root, exist_ok=True)
        self.settings = settings_for(self.binary, work, args.herald_setting)
        self.e = args.entries
        self.site = sitegen.Site(self.site_root, hosts, port, n, entries=self.e)
        marker = os.path.join(work, "site.json")
        identity = {"feeds": n, "hosts": hosts, "port": port, "version": 1}
        if self.e != 20:
            identity["entries"] = self.e
        if os.path.exists(marker) and json.load(open(marker)) == identity:
            log(f"N={n}: reusing the generated site in {self.site_root}")
        else:
            log(f"N={n}: generating {n} feeds and {n * self.e} pages on {len(hosts)} hosts")
            t = time.monotonic()
            self.site.generate()
            with open(marker, "w") as f:
                json.dump(identity, f)
            log(f"N={n}: generated in {time.monotonic() - t:.0f} s")
        os.chmod(work, 0o755)
        self.nginx = Nginx(nginx_bin, os.path.join(work, "nginx"), self.site_root, hosts, port)
        self.results = {"feeds": n, "pages": n * self.e, "entries": self.e, "hosts": len(hosts),
                        "settings": self.settings}
        self.feed_paths = {"/" + self.site.feed_path(i): i for i in range(n)}

    def config(self, name, feeds):
        state = os.path.join(self.work, f"state-{name}")
        path = os.path.join(self.work, f"herald-{name}.yaml")
        write_config(path, state, self.site, feeds, self.settings)
        return path, state

    def timeout(self, pages):
        return self.args.cycle_timeout or 300 + pages / 20

    def wait_cycle(self, daemon, changes, start, feeds, articles, label, timeout):
        """Waits until every feed in `feeds` was requested by Herald since `start` and `articles` article
        events arrived since then; gives up after `timeout` s, or after `--stall` s without any progress.
        Reads only what the access log and the change log gained since the last look."""
        deadline = time.monotonic() + timeout
        last_progress, last_count, peak, last_note = time.monotonic(), -1, 0, time.monotonic()
        wanted = {"/" + self.site.feed_path(i) for i in feeds}
        seen_at, n_events, n_requests, last_event = {}, 0, 0, start
        for d in self.nginx.reader.window(start, agent="Herald"):
            if d.path in wanted and d.path not in seen_at:
                seen_at[d.path] = d.t
        for e in changes.since(start):
            n_events, last_event = n_events + 1, max(last_event, e.t)
        while True:
            for d in self.nginx.reader.refresh():
                if d.t >= start and d.agent == "Herald":
                    n_requests += 1
                    if d.path in wanted and d.path not in seen_at:
                        seen_at[d.path] = d.t
            for e in changes.refresh():
                if e.type in ARTICLE_EVENTS and e.t >= start:
                    n_events, last_event = n_events + 1, max(last_event, e.t)
            peak = max(peak, daemon.hwm_mb() or 0)
            ends = [max(seen_at.values())] if seen_at else []
            if len(seen_at) == len(wanted) and n_events >= articles:
                return {"done": True, "end": max(ends + [last_event]), "feeds_asked": len(seen_at),
                        "articles": n_events, "hwm": peak}
            count = len(seen_at) + n_events + n_requests
            now = time.monotonic()
            if count != last_count:
                last_count, last_progress = count, now
            if not daemon.alive() or now > deadline or now - last_progress > self.args.stall:
                why = "herald exited" if not daemon.alive() else (
                    "timeout" if now > deadline else f"no progress for {self.args.stall:g} s")
                log(f"{label}: incomplete ({why}): {len(seen_at)}/{len(wanted)} feeds asked, "
                    f"{n_events}/{articles} articles")
                return {"done": False, "why": why, "end": max(ends + [last_event]), "feeds_asked": len(seen_at),
                        "articles": n_events, "hwm": peak}
            if now - last_note >= 15:
                last_note = now
                log(f"{label}: {len(seen_at)}/{len(wanted)} feeds asked, {n_events}/{articles} articles, "
                    f"{n_requests} requests, {daemon.hwm_mb() or 0:.0f} MB")
            time.sleep(0.5)

    def first_cycle(self):
        n, r = self.n, self.results
        # curl: every feed, then every page (a page link is known only after its feed), same parallelism.
        feeds_w, feeds_c = run_curl(self.work, "feeds", [(self.site.feed_url(i), []) for i in range(n)],
                                    self.args.curl_parallel)
        pages_w, pages_c = run_curl(self.work, "pages", [(self.site.page_url(f, k), []) for f, k in
                                                         self.site.pages()], self.args.curl_parallel)
        r["curl_first"] = {"wall": feeds_w + pages_w, "cpu": feeds_c + pages_c, "feeds_wall": feeds_w,
                           "pages_wall": pages_w}
        log(f"first cycle, curl: {feeds_w + pages_w:.1f} s")
        time.sleep(1.2)
        r["curl_first"]["busiest"] = busiest(self.nginx.reader.window(0, agent="curl"))
        config, self.state = self.config("main", range(n))
        self.config_path = config
        daemon = Daemon(self.binary, config, self.work, "first")
        daemon.wait_ready()
        self.changes = ChangeLog(self.state)
        out = self.wait_cycle(daemon, self.changes, daemon.started, range(n), n * self.e, "first cycle",
                              self.timeout(n * self.e))
        r["herald_first"] = {"wall": out["end"] - daemon.started, "cpu": daemon.cpu(), "hwm_mb": daemon.hwm_mb(),
                             "done": out["done"], "articles": out["articles"], "feeds_asked": out["feeds_asked"],
                             "ready_s": daemon.ready_at - daemon.started}
        r["herald_first"]["pages_per_s"] = out["articles"] / max(r["herald_first"]["wall"], 1e-9)
        r["herald_first"]["busiest"] = busiest(self.nginx.reader.window(daemon.started, out["end"] + 0.001,
                                                                        agent="Herald"))
        time.sleep(2)  # let the state settle (feed states are written after the events)
        r["herald_first"]["hwm_after_mb"] = daemon.hwm_mb()
        r["herald_first"]["stop_s"] = daemon.stop()
        log(f"first cycle, herald: {r['herald_first']['wall']:.1f} s, {out['articles']} articles")

    def restart(self):
        """Restart on the same state, nothing due for an hour: requests in the first 10 s."""
        daemon = Daemon(self.binary, self.config_path, self.work, "restart")
        daemon.wait_ready()
        time.sleep(max(0.0, daemon.started + 10 - time.time()))
        cpu = daemon.cpu()
        daemon.stop()
        time.sleep(1.2)  # nginx flushes its log buffer every 0.5 s
        reqs = self.nginx.reader.window(daemon.started, daemon.started + 10, agent="Herald")
        feeds = [d for d in reqs if d.path in self.feed_paths]
        self.results["restart"] = {"requests_10s": len(reqs), "feed_requests_10s": len(feeds),
                                   "busiest": busiest(reqs),
                                   "ready_s": daemon.ready_at - daemon.started, "cpu_10s": cpu}
        log(f"restart: {len(reqs)} requests in the first 10 s")

    def steady(self):
        n, r = self.n, self.results
        rng = random.Random(10)
        changed = sorted(rng.sample(range(n), max(1, n // 10)))
        os.unlink(os.path.join(self.work, "site.json"))  # the site changes now: a later run regenerates it
        new_pages = [self.site.add_entry(i) for i in changed]
        time.sleep(1.1)  # a second boundary, so a rewritten feed's mtime (its validator) differs
        changed_set = set(changed)
        # curl: the same conditional requests (the validators nginx sent: ETag and Last-Modified), then the pages
        transfers = []
        for i in range(n):
            etag, lm = nginx_etag(os.path.join(self.site_root, self.site.feed_path(i)))
            if i in changed_set:
                transfers.append((self.site.feed_url(i), []))
            else:
                transfers.append((self.site.feed_url(i), [f"If-None-Match: {etag}", f"If-Modified-Since: {lm}"]))
        curl_start = time.time()
        fw, fc = run_curl(self.work, "conditional", transfers, self.args.curl_parallel)
        pw, pc = run_curl(self.work, "new-pages", [(u, []) for u in new_pages], self.args.curl_parallel)
        time.sleep(1.2)
        curl_reqs = self.nginx.reader.window(curl_start, agent="curl")
        curl_304 = sum(1 for d in curl_reqs if d.status == "304")
        r["curl_steady"] = {"wall": fw + pw, "cpu": fc + pc, "share_304": curl_304 / max(1, n)}
        log(f"steady, curl: {fw + pw:.2f} s")
        due = make_all_due(self.state)
        r["steady_method"] = f"restart with next_poll moved to the past ({due} values)"
        daemon = Daemon(self.binary, self.config_path, self.work, "steady")
        daemon.wait_ready()
        out = self.wait_cycle(daemon, self.changes, daemon.started, range(n), len(changed), "steady cycle",
                              self.timeout(len(changed)))
        cpu = daemon.cpu()
        time.sleep(1.2)
        reqs = self.nginx.reader.window(daemon.started, out["end"] + 0.001, agent="Herald")
        first = {}
        for d in reqs:
            if d.path in self.feed_paths and d.path not in first:
                first[d.path] = d
        unchanged = [d for p, d in first.items() if self.feed_paths[p] not in changed_set]
        with_validator = [d for d in unchanged if d.inm or d.ims]
        feed_reqs = [d for d in reqs if d.path in self.feed_paths]
        new_events = [e for e in self.changes.since(daemon.started)]
        r["herald_steady"] = {"wall": out["end"] - daemon.started, "cpu": cpu,
                              "cycle_cpu": cpu - (daemon.ready_cpu or 0), "ready_s": daemon.ready_at - daemon.started,
                              "share_304": sum(1 for d in feed_reqs if d.status == "304") / max(1, len(feed_reqs)),
                              "unchanged": len(unchanged), "with_validator": len(with_validator),
                              "unchanged_304": sum(1 for d in unchanged if d.status == "304"),
                              "done": out["done"], "new_articles": len(new_events), "expected": len(changed),
                              "feed_requests": len(feed_reqs), "requests": len(reqs), "hwm_mb": daemon.hwm_mb()}
        daemon.stop()
        log(f"steady, herald: {r['herald_steady']['wall']:.2f} s")
        files, apparent, disk = dir_usage(self.state)
        r["state"] = {"files": files, "bytes": apparent, "disk": disk}

    def fsyncs(self):
        """fsync counts (first cycle and a pure-304 pass) and ingest rate with and without an fsync delay, on
        the first `--fsync-feeds` feeds. strace logs each fsync/fdatasync with its time (-ttt), so the counts
        cover READY to the end of the phase plus 2 s (the feed states written after the last event), not the
        daemon's start and shutdown."""
        m = min(self.n, self.args.fsync_feeds)
        feeds, r = range(m), {}
        delay = self.args.fsync_delay_us
        trace = ["-ttt", "-e", "trace=fsync,fdatasync,syncfs"]
        for label, extra in (("plain", []), ("delay", [f"--inject=fdatasync,fsync,syncfs:delay_enter={delay}"])):
            config, state = self.config(f"fsync-{label}", feeds)
            calls = os.path.join(self.work, f"strace-{label}.txt")
            daemon = Daemon(self.binary, config, self.work, f"fsync-{label}", strace=trace + ["-o", calls] + extra)
            daemon.wait_ready()
            changes = ChangeLog(state)
            out = self.wait_cycle(daemon, changes, daemon.started, feeds, m * self.e, f"fsync {label}",
                                  self.timeout(m * self.e) * (4 if extra else 1))
            rate = out["articles"] / max(1e-9, out["end"] - daemon.ready_at)
            time.sleep(2)
            daemon.stop()
            r[label] = {"articles": out["articles"], "rate": rate, "done": out["done"],
                        "fsyncs": strace_calls(calls, daemon.ready_at, out["end"] + 2),
                        "fsyncs_total": strace_calls(calls)}
            log(f"fsync {label}: {rate:.0f} articles/s, {r[label]['fsyncs']} fsync+fdatasync+syncfs in the cycle")
            if label == "plain":
                make_all_due(state)
                calls = os.path.join(self.work, "strace-304.txt")
                daemon = Daemon(self.binary, config, self.work, "fsync-304", strace=trace + ["-o", calls])
                daemon.wait_ready()
                out = self.wait_cycle(daemon, changes, daemon.started, feeds, 0, "fsync 304 pass", self.timeout(m))
                time.sleep(2)
                daemon.stop()
                time.sleep(1.2)
                polls = [d for d in self.nginx.reader.window(daemon.started, agent="Herald")
                         if d.path in self.feed_paths]
                r["pass304"] = {"polls": len(polls), "s304": sum(1 for d in polls if d.status == "304"),
                                "fsyncs": strace_calls(calls, daemon.ready_at, out["end"] + 2),
                                "fsyncs_total": strace_calls(calls)}
        r["feeds"], r["delay_us"] = m, delay
        self.results["fsync"] = r

    def extract_dir(self):
        """`herald extract --dir` on (up to --extract-pages of) the same pages, as hard links in one directory."""
        d = os.path.join(self.work, "extract")
        os.makedirs(d)
        count = 0
        for f, k in self.site.pages():
            if count >= self.args.extract_pages:
                break
            os.link(os.path.join(self.site_root, self.site.page_path(f, k)), os.path.join(d, f"p{f:05d}-{k:04d}.html"))
            count += 1
        res = {}
        for jobs in (1, os.cpu_count() or 1):
            start = time.monotonic()
            proc = spawn([self.binary, "extract", "--dir", d, "--jobs", str(jobs)], stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            CHILDREN.remove(proc)
            wall = time.monotonic() - start
            res[jobs] = {"pages": count, "wall": wall, "rate": count / wall, "cpu": usage.ru_utime + usage.ru_stime}
        self.results["extract"] = res

    def run(self, save):
        """Runs the phases, calling `save(results)` after each. A first cycle that did not complete leaves the
        state unfit for the restart and steady phases, so they are skipped then."""
        try:
            self.first_cycle()
            save(self.results)
            if self.results["herald_first"]["done"]:
                self.restart()
                save(self.results)
                self.steady()
                save(self.results)
            if not self.args.no_fsync:
                self.fsyncs()
                save(self.results)
            self.extract_dir()
        finally:
            self.nginx.stop()
        return self.results


def strace_calls(path, start=0.0, end=float("inf")):
    """fsync, fdatasync and syncfs calls in a `strace -ttt` log that started between `start` and `end`."""
    total = 0
    try:
        with open(path) as f:
            for line in f:
                m = re.match(r"(?:\d+ +)?(\d+\.\d+) (fsync|fdatasync|syncfs)\(", line)
                if m and start <= float(m.group(1)) <= end:
                    total += 1
    except FileNotFoundError:
        pass
    return total


# ---------------------------------------------------------------- report

def fmt(v, unit="", digits=1):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.{digits}f}{unit}"
    return f"{v:,}{unit}"


def busy(section):
    b = section.get("busiest")
    return f"{b['host_per_s']:,} ({b['all_per_s']:,})" if b else "–"


def answered(section):
    b = section.get("busiest")
    return f"{b['requests']:,} ({b['failed']:,})" if b and "requests" in b else "–"


def report(r):
    hf, cf = r["herald_first"], r["curl_first"]
    n = r["feeds"]
    rows = [("FIRST CYCLE", f"{n:,} feeds, {r['pages']:,} pages", ""),
            ("wall time (s)", fmt(hf["wall"]) + ("" if hf["done"] else " (incomplete)"),
             f"{fmt(cf['wall'], digits=2)} ({fmt(cf['feeds_wall'], digits=2)} feeds + {fmt(cf['pages_wall'], digits=2)} pages)"),
            ("ratio to curl", fmt(hf["wall"] / max(cf["wall"], 1e-9)) + "×", ""),
            ("CPU seconds", fmt(hf["cpu"]), fmt(cf["cpu"])),
            ("peak RSS (VmHWM, MB)", f"{fmt(hf['hwm_mb'], digits=0)} ({fmt(hf['hwm_after_mb'], digits=0)} after)", ""),
            ("articles in the change log", f"{hf['articles']:,} / {r['pages']:,}", ""),
            ("most requests/s to one host (all hosts)", busy(hf), busy(cf)),
            ("requests (answered other than 200/304)", answered(hf), answered(cf)),
            ("pages/s (first cycle)", fmt(hf["pages_per_s"], digits=0), "")]
    if "herald_steady" in r:
        hs, cs = r["herald_steady"], r["curl_steady"]
        rows += [
            ("STEADY CYCLE", f"10% of feeds gained 1 entry; {r['steady_method']}", ""),
            ("time until all polled + new articles (s)",
             fmt(hs["wall"], digits=2) + ("" if hs["done"] else " (incomplete)"), fmt(cs["wall"], digits=2)),
            ("ratio to curl", fmt(hs["wall"] / max(cs["wall"], 1e-9)) + "×", ""),
            ("  of which start to READY (s)", fmt(hs["ready_s"], digits=2), ""),
            ("CPU seconds (cycle after READY / total)", f"{fmt(hs['cycle_cpu'], digits=2)} / {fmt(hs['cpu'], digits=2)}",
             fmt(cs["cpu"], digits=2)),
            ("CPU s per 1,000 feeds (cycle)", fmt(hs["cycle_cpu"] * 1000 / n, digits=2), ""),
            ("share of 304s", fmt(100 * hs["share_304"]) + "%", fmt(100 * cs["share_304"]) + "%"),
            ("unchanged feeds asked with a validator",
             f"{hs['with_validator']:,} / {hs['unchanged']:,} ({hs['unchanged_304']:,} got 304)", ""),
            ("new articles in the change log", f"{hs['new_articles']:,} / {hs['expected']:,}", ""),
            ("feed requests in the cycle", f"{hs['feed_requests']:,}", f"{n:,}"),
            ("RESTART", "same state, nothing due for an hour", ""),
            ("requests in the first 10 s", f"{r['restart']['requests_10s']:,} "
             f"({r['restart']['feed_requests_10s']:,} feeds)", ""),
            ("most requests/s to one host (all hosts)", busy(r["restart"]), ""),
            ("STATE", "", ""),
            ("state directory", f"{r['state']['files']:,} files, {r['state']['bytes'] / 2**20:,.1f} MiB "
             f"({r['state']['disk'] / 2**20:,.1f} MiB on disk)", "")]
    else:
        rows.append(("STEADY CYCLE", "skipped: the first cycle did not complete", ""))
    if "fsync" in r:
        fs = r["fsync"]
        p, d, q = fs["plain"], fs["delay"], fs["pass304"]
        rows += [("FSYNC", f"{fs['feeds']} feeds, {fs['feeds'] * r.get('entries', 20)} pages, under strace", ""),
                 ("fsync+fdatasync+syncfs per article (first cycle)", fmt(p["fsyncs"] / max(1, p["articles"]), digits=2)
                  + f" ({p['fsyncs']:,} in the cycle, {p['fsyncs_total']:,} with start and stop)", ""),
                 ("fsync+fdatasync+syncfs per poll (304 pass)", fmt(q["fsyncs"] / max(1, q["polls"]), digits=2)
                  + f" ({q['polls']} polls, {q['s304']} 304s; {q['fsyncs_total']:,} with start and stop)", ""),
                 ("ingest rate, no delay (articles/s)", fmt(p["rate"], digits=0), ""),
                 (f"ingest rate, +{fs['delay_us'] / 1000:g} ms per fsync", fmt(d["rate"], digits=0)
                  + ("" if d["done"] else " (incomplete)"), "")]
    if "extract" in r:
        rows.append(("EXTRACTION", "", ""))
        for jobs, e in r["extract"].items():
            rows.append((f"herald extract --dir --jobs {jobs} (pages/s)", f"{e['rate']:,.0f} ({e['pages']:,} pages, "
                         f"{e['cpu']:.1f} CPU s)", ""))
        rows.append(("daemon first cycle (pages/s)", fmt(hf["pages_per_s"], digits=0), ""))
    sections = {"FIRST CYCLE", "STEADY CYCLE", "RESTART", "STATE", "FSYNC", "EXTRACTION"}
    body = [row for row in rows if row[0] not in sections]
    w0 = max(len(a) for a, _, _ in body) + 2
    w1 = max(len(b) for _, b, _ in body)
    out = [f"{'':{w0}}  {'Herald':{w1}}  curl"]
    for a, b, c in rows:
        out.append(f"{a}: {b}".rstrip(" :") if a in sections else f"  {a:{w0 - 2}}  {b:{w1}}  {c}".rstrip())
    return "\n".join(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--feeds", type=int, action="append", help="feed counts to run (repeatable; default 1000 10000)")
    p.add_argument("--quick", action="store_true", help="N=200 only, a few minutes")
    p.add_argument("--entries", type=int, default=20, help="entries (and pages) per feed (default 20)")
    p.add_argument("--hosts", type=int, default=100, help="loopback host addresses (default 100)")
    p.add_argument("--fsync-delay-us", type=int, default=4000, help="delay added to each fsync (default 4000)")
    p.add_argument("--fsync-feeds", type=int, default=100, help="feeds in the fsync runs (default 100)")
    p.add_argument("--no-fsync", action="store_true", help="skip the strace runs")
    p.add_argument("--herald-setting", action="append", default=[], metavar="KEY=VALUE",
                   help="a Herald setting (dotted for sections: limits.concurrent_feeds=16); repeatable")
    p.add_argument("--curl-parallel", type=int, default=50, help="curl --parallel-max (default 50)")
    p.add_argument("--extract-pages", type=int, default=20000, help="pages for herald extract --dir")
    p.add_argument("--cycle-timeout", type=float, default=0, help="seconds (default 300 + pages/20)")
    p.add_argument("--stall", type=float, default=120, help="give up a phase after this long without progress")
    p.add_argument("--binary", default=os.environ.get("HERALD_BINARY", os.path.join(ROOT, ".build/release/herald")))
    p.add_argument("--port", type=int, help="nginx's port (default: a free one; give it to reuse a kept site)")
    p.add_argument("--work", help="working directory (default: a new one under $TMPDIR, removed at the end)")
    p.add_argument("--keep", action="store_true", help="keep the working directory")
    p.add_argument("--json", help="also write the results to this file")
    args = p.parse_args()
    args.feeds = [200] if args.quick else (args.feeds or [1000, 10000])
    if args.quick:
        args.fsync_feeds = min(args.fsync_feeds, 50)
    pairs = []
    for s in args.herald_setting:
        if "=" not in s:
            p.error(f"--herald-setting {s!r}: expected KEY=VALUE")
        pairs.append(tuple(s.split("=", 1)))
    args.herald_setting = pairs
    args.binary = os.path.abspath(args.binary)
    if not os.access(args.binary, os.X_OK):
        raise SystemExit(f"{args.binary} missing: swift build -c release --product herald")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    nginx_bin = ensure_tools()
    work = args.work or tempfile.mkdtemp(prefix="herald-polling-")
    os.makedirs(work, exist_ok=True)
    os.chmod(work, 0o755)  # nginx's workers run as another user and must reach the site
    hosts = loopback_hosts(args.hosts)
    port = args.port or free_port(hosts)
    log(f"work {work}, port {port}, herald {args.binary}")
    all_results = []
    try:
        for n in args.feeds:
            wdir = os.path.join(work, f"n{n}")
            def save(partial):
                if args.json:
                    with open(args.json, "w") as f:
                        json.dump(all_results + [partial], f, indent=1)

            res = Bench(args, n, wdir, nginx_bin, hosts, port).run(save)
            all_results.append(res)
            print(f"\n== Herald polling benchmark: {n:,} feeds on {len(hosts)} hosts, curl --parallel-max "
                  f"{args.curl_parallel} ==")
            print(report(res), flush=True)
            if args.json:
                with open(args.json, "w") as f:
                    json.dump(all_results, f, indent=1)
            if not args.keep:
                shutil.rmtree(wdir, ignore_errors=True)
    except KeyboardInterrupt as e:
        log(f"interrupted ({e})")
        return 130
    finally:
        stop_all()
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
