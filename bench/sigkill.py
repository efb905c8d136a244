#!/usr/bin/env python3
"""Kills `almanac build` at random moments of a rebuild and checks what is left.

    python3 bench/sigkill.py [--pages 3000] [--kills 30] [--work DIR] [--binary PATH]

A generated site is built (the "old" site); then every third page is
edited and the rebuild (the "new" site) is killed with SIGKILL at a random
moment of its run, KILLS times. After each kill the output folder must
exist and hold exactly the old or the new complete site. After the last
kill, a build with no flags must succeed and equal a clean build.
Prints one line per kill and a summary; exits 1 on any failure.
"""
import argparse, hashlib, os, random, shutil, signal, subprocess, sys, time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tree(path):
    """Hash of every file under `path` (the output), cache folder left out."""
    if not os.path.isdir(path):
        return None
    h = hashlib.sha256()
    for root, dirs, files in sorted(os.walk(path)):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(root, name)
            h.update(os.path.relpath(full, path).encode())
            with open(full, "rb") as f:
                h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()


def edit(site, n, marker):
    """Every third page gets a line that says which version it is."""
    pages = []
    for root, _, files in os.walk(os.path.join(site, "content")):
        pages += [os.path.join(root, f) for f in files if f.endswith(".md") and f != "_index.md"]
    for p in sorted(pages)[::3][:n]:
        with open(p, encoding="utf-8") as f:
            text = f.read().split("\n<!-- version")[0]
        with open(p, "w", encoding="utf-8") as f:
            f.write(text + f"\n<!-- version {marker} -->\nEdited: {marker}.\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--kills", type=int, default=30)
    ap.add_argument("--work", default="/tmp/almanac-sigkill")
    ap.add_argument("--binary")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    random.seed(args.seed)
    almanac = args.binary
    if almanac is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        almanac = os.path.join(REPO, "target/release/almanac")
    shared = os.environ.get("SHARED", os.path.join(REPO, "../shared/bench"))
    site = os.path.join(args.work, "site")
    out = os.path.join(args.work, "public")
    shutil.rmtree(args.work, ignore_errors=True)
    subprocess.run([sys.executable, os.path.join(shared, "gen_corpus.py"), "--pages", str(args.pages),
                    "--out", site, "--flavor", "almanac", "--clean"], check=True, stdout=subprocess.DEVNULL)
    build = [almanac, "build", "--quiet", "--root", site, "-o", out, "--now", "2026-11-22"]

    def clean_tree(marker):
        """The complete site for the content as it is, built elsewhere."""
        ref = os.path.join(args.work, f"ref-{marker}")
        shutil.rmtree(ref, ignore_errors=True)
        subprocess.run(build[:-4] + ["-o", ref, "--now", "2026-11-22"], check=True)
        return tree(ref)

    edit(site, args.pages, "old")
    old = clean_tree("old")
    edit(site, args.pages, "new")
    new = clean_tree("new")
    edit(site, args.pages, "old")
    subprocess.run(build, check=True)
    t = time.perf_counter()
    edit(site, args.pages, "new")
    subprocess.run(build, check=True)
    rebuild_s = time.perf_counter() - t
    edit(site, args.pages, "old")
    subprocess.run(build, check=True)

    failures, seen = 0, {"old": 0, "new": 0}
    for i in range(args.kills):
        edit(site, args.pages, "new")
        p = subprocess.Popen(build, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(random.uniform(0, rebuild_s * 1.1))
        p.send_signal(signal.SIGKILL)
        p.wait()
        state = tree(out)
        which = "old" if state == old else "new" if state == new else None
        print(f"kill {i + 1:2}: output is the {which or 'MIXED OR MISSING'} site")
        if which is None:
            failures += 1
        else:
            seen[which] += 1
        # Back to the old site for the next kill, by a normal build (no flags).
        edit(site, args.pages, "old")
        r = subprocess.run(build, capture_output=True, text=True)
        if r.returncode != 0 or tree(out) != old:
            print(f"  the build after kill {i + 1} failed or differs: {r.stderr.strip()[:300]}")
            failures += 1
    print(f"{args.kills} kills during a {rebuild_s:.2f} s rebuild of {args.pages} pages: "
          f"{seen['old']} left the old site, {seen['new']} the new one, {failures} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
