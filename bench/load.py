#!/usr/bin/env python3
"""Loads the dev server as a busy editing session would, on loopback.

    python3 bench/load.py [--fetchers 64] [--pollers 128] [--seconds 30] [--site example-site]

`almanac serve` runs the site; FETCHERS keep-alive connections fetch its
pages as fast as they can while POLLERS browsers long-poll for reloads.
Prints requests, failures, latency percentiles of page fetches and the
server's memory (RSS) over the run; exits 1 on any failed request.
"""
import argparse, http.client, json, os, random, re, shutil, subprocess, sys, threading, time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Random pages from the sitemap; one summary line the script reads back.
WRK_LUA = """
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("almanac-load %d %d %.1f %.1f %.1f %.1f\\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fetchers", type=int, default=64)
    ap.add_argument("--pollers", type=int, default=128)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--site", default=os.path.join(REPO, "example-site"))
    ap.add_argument("--port", type=int, default=18222)
    ap.add_argument("--binary")
    args = ap.parse_args()
    almanac = args.binary
    if almanac is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        almanac = os.path.join(REPO, "target/release/almanac")
    server = subprocess.Popen([almanac, "serve", "--root", args.site, "--port", str(args.port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
                c.request("GET", "/sitemap.xml")
                sitemap = c.getresponse().read().decode()
                break
            except OSError:
                if time.time() > deadline:
                    sys.exit("the server did not come up")
                time.sleep(0.2)
        paths = [re.sub(r"^https?://[^/]+", "", u) for u in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
        paths += ["/style.css", "/almanac.js", "/atom.xml"]
        stop = time.time() + args.seconds
        lock = threading.Lock()
        latencies, failures, polls = [], [0], [0]

        def fetcher():
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=15)
            mine = []
            while time.time() < stop:
                path = random.choice(paths)
                t = time.perf_counter()
                try:
                    conn.request("GET", path)
                    r = conn.getresponse()
                    r.read()
                    ok = r.status == 200
                except OSError:
                    ok = False
                    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=15)
                mine.append(time.perf_counter() - t)
                if not ok:
                    with lock:
                        failures[0] += 1
            with lock:
                latencies.extend(mine)

        def poller():
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=args.seconds + 30)
            gen = 0
            while time.time() < stop:
                try:
                    conn.request("GET", f"/__almanac/livereload?gen={gen}")
                    r = conn.getresponse()
                    body = r.read().decode()
                    if r.status != 200:
                        raise OSError(r.status)
                    gen = int(re.sub(r"\D", "", body) or gen)
                    with lock:
                        polls[0] += 1
                except (OSError, ValueError):
                    if time.time() < stop:
                        with lock:
                            failures[0] += 1
                    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=args.seconds + 30)

        # wrk, when the machine has it, fetches without a Python client's
        # own queueing in the figures; the long-polls stay here (they idle).
        wrk = shutil.which("wrk")
        threads = [threading.Thread(target=poller, daemon=True) for _ in range(args.pollers)]
        if not wrk:
            threads += [threading.Thread(target=fetcher) for _ in range(args.fetchers)]
        memory = [rss_kb(server.pid)]
        for t in threads:
            t.start()
        if wrk:
            script = os.path.join("/tmp", f"almanac-load-{os.getpid()}.lua")
            with open(script, "w") as f:
                f.write("paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n" + WRK_LUA)
            proc = subprocess.Popen([wrk, "-t2", f"-c{args.fetchers}", f"-d{int(args.seconds)}s",
                                     "--latency", "-s", script, f"http://127.0.0.1:{args.port}/"],
                                    stdout=subprocess.PIPE, text=True)
        while time.time() < stop:
            time.sleep(1)
            memory.append(rss_kb(server.pid))
        if wrk:
            report = proc.communicate()[0]
            os.remove(script)
            line = next(l for l in report.splitlines() if l.startswith("almanac-load"))
            _, requests, errors, p50, p90, p99, worst = line.split()
            memory.append(rss_kb(server.pid))
            print(f"{requests} page requests by {args.fetchers} connections (wrk) in {args.seconds:.0f} s "
                  f"({int(requests) / args.seconds:.0f}/s), {args.pollers} reload long-polls "
                  f"({polls[0]} answered), {int(errors) + failures[0]} failed")
            print(f"latency ms: p50 {p50}  p90 {p90}  p99 {p99}  max {worst}")
            print(f"server RSS MB: start {memory[0] / 1024:.0f}  max {max(memory) / 1024:.0f}  end {memory[-1] / 1024:.0f}")
            sys.exit(1 if int(errors) + failures[0] else 0)
        for t in threads[args.pollers:]:
            t.join()
        memory.append(rss_kb(server.pid))
        latencies.sort()
        pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
        print(f"{len(latencies)} page requests by {args.fetchers} connections in {args.seconds:.0f} s "
              f"({len(latencies) / args.seconds:.0f}/s), {args.pollers} reload long-polls, "
              f"{failures[0]} failed")
        print(f"latency ms: p50 {pct(0.5):.1f}  p90 {pct(0.9):.1f}  p99 {pct(0.99):.1f}  max {latencies[-1] * 1000:.1f}")
        print(f"server RSS MB: start {memory[0] / 1024:.0f}  max {max(memory) / 1024:.0f}  end {memory[-1] / 1024:.0f}")
        sys.exit(1 if failures[0] else 0)
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
