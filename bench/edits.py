#!/usr/bin/env python3
"""Dev-server edit latency: the time from a file's save to its new bytes served.

Starts `almanac serve` on a generated knowledge base, edits files as an
author would (a page's body, title, tags, date; a template), and after each
save polls the page over loopback until the new text is served. Prints the
median and p95 per kind of edit, serve's resident memory against a full
`almanac build`'s peak, and the time of that full build.

Usage: bench/edits.py [--pages 10000] [--runs 10] [--work /tmp/almanac-bench] [--binary PATH]
"""

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Connection": "close"})
    body = conn.getresponse().read().decode("utf-8", "replace")
    conn.close()
    return body


def wait_for(port, path, needle, limit=120.0):
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        try:
            if needle in get(port, path):
                return
        except OSError:
            pass
        time.sleep(0.001)
    raise SystemExit(f"timed out waiting for {needle!r} at {path}")


def rss_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--work", default="/tmp/almanac-bench")
    ap.add_argument("--port", type=int, default=18111)
    ap.add_argument("--binary", help="an almanac binary to measure instead of this checkout's")
    ap.add_argument("--search", action="store_true", help="turn the search index on")
    args = ap.parse_args()

    almanac = args.binary
    if almanac is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        almanac = os.path.join(REPO, "target/release/almanac")
    shared = os.environ.get("SHARED", os.path.join(REPO, "../shared/bench"))
    os.makedirs(args.work, exist_ok=True)
    pristine = os.path.join(args.work, f"corpus-{args.pages}")
    if not os.path.isdir(os.path.join(pristine, "content")):
        subprocess.run([sys.executable, os.path.join(shared, "gen_corpus.py"), "--pages",
                        str(args.pages), "--out", pristine, "--flavor", "almanac", "--clean"],
                       check=True, stdout=subprocess.DEVNULL)
    site = os.path.join(args.work, f"edits-{args.pages}")
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(pristine, site)
    if args.search:
        with open(os.path.join(site, "almanac.toml"), "a", encoding="utf-8") as f:
            f.write("\n[search]\nenabled = true\n")

    # A full build for scale: time and peak memory.
    t = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M", almanac, "build", "--force", "--root", site,
                          "-o", os.path.join(args.work, "edits-out")],
                         capture_output=True, text=True, check=True)
    build_s = time.perf_counter() - t
    build_kb = int(out.stderr.strip().splitlines()[-1])

    t = time.perf_counter()
    serve = subprocess.Popen([almanac, "serve", "--root", site, "--port", str(args.port)],
                             stdout=subprocess.DEVNULL,
                             stderr=open(os.path.join(args.work, "serve.log"), "w"))
    try:
        wait_for(args.port, "/", "</html>")
        start_s = time.perf_counter() - t
        results = run_edits(site, args.port, args.runs)
        serve_kb = rss_kb(serve.pid, "VmRSS")
        serve_peak_kb = rss_kb(serve.pid, "VmHWM")
    finally:
        serve.terminate()
        serve.wait()

    search = ", search on" if args.search else ""
    print(f"pages {args.pages}{search}, {args.runs} edits of each kind, {os.cpu_count()} cores")
    print(f"{'edit':<10} {'median_ms':>10} {'p95_ms':>10}")
    for kind, times in results.items():
        ms = [x * 1000 for x in times]
        print(f"{kind:<10} {statistics.median(ms):>10.1f} {percentile(ms, 95):>10.1f}")
    print(f"full build          {build_s * 1000:>10.0f} ms, peak {build_kb / 1024:.0f} MB")
    print(f"serve start         {start_s * 1000:>10.0f} ms")
    print(f"serve RSS now {serve_kb / 1024:.0f} MB, peak {serve_peak_kb / 1024:.0f} MB"
          f" ({serve_peak_kb / build_kb:.2f}x build's peak)")


def run_edits(site, port, runs):
    content = os.path.join(site, "content")
    section = "faq" if os.path.isdir(os.path.join(content, "faq")) else sorted(
        d for d in os.listdir(content) if os.path.isdir(os.path.join(content, d)))[0]
    folder = os.path.join(content, section)
    name = sorted(f for f in os.listdir(folder) if f.endswith(".md") and f != "_index.md")[0]
    path = os.path.join(folder, name)
    url = f"/{section}/{name[:-3]}/"
    original = open(path, encoding="utf-8").read()
    assert "title" in original, "a generated page has a title"

    def save(text):
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    def timed(edit, needle, at=url):
        t = time.perf_counter()
        edit()
        wait_for(port, at, needle)
        return time.perf_counter() - t

    results = {"body": [], "title": [], "tags": [], "date": [], "template": []}
    front_end = original.index("+++", 3)
    for i in range(runs):
        marker = f"bodymark{i}x"
        results["body"].append(timed(lambda: save(original + f"\n\n{marker}\n"), marker))
        time.sleep(0.05)
    for i in range(runs):
        marker = f"titlemark{i}x"
        text = re.sub(r'^title = "', f'title = "{marker} ', original, count=1, flags=re.M)
        results["title"].append(timed(lambda: save(text), marker))
        time.sleep(0.05)
    for i in range(runs):
        marker = f"tagmark{i}x"
        text = re.sub(r"^tags = \[", f'tags = ["{marker}", ', original, count=1, flags=re.M)
        results["tags"].append(timed(lambda: save(text), marker))
        time.sleep(0.05)
    for i in range(runs):
        day = f"2019-01-{i + 1:02d}"
        text = original[:front_end] + f"updated = {day}\n" + original[front_end:]
        results["date"].append(timed(lambda: save(text), day))
        time.sleep(0.05)
    save(original)
    # The template of the edited page's kind, which every page of that kind uses.
    kind = {"faq": "faq", "rules": "rules", "playbooks": "playbook", "events": "event"}.get(section, "page")
    templates = os.path.join(site, "templates")
    os.makedirs(templates, exist_ok=True)
    for i in range(max(2, runs // 3)):
        marker = f"tplmark{i}x"
        tpl = ('{% extends "default/' + kind + '.html" %}{% block content %}' + marker +
               "{{ super() }}{% endblock content %}")
        edit = lambda: open(os.path.join(templates, kind + ".html"), "w").write(tpl)
        results["template"].append(timed(edit, marker))
        time.sleep(0.2)
    return results


if __name__ == "__main__":
    main()
