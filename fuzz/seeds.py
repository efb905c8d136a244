#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from the fixture sites.

front_matter: every Markdown file of the fixtures, whole.
markdown:     every body, behind a byte choosing kind / raw HTML mode / highlight.
site:         each fixture site as one input: almanac.toml, then its files.
"""
import hashlib, os, pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIX = [ROOT / "tests/fixtures" / d for d in ("basic", "kinds", "search", "languages")] + [ROOT / "example-site"]
SEP = "\n%%%\n"

def put(target, data: bytes):
    out = ROOT / "fuzz/corpus" / target
    out.mkdir(parents=True, exist_ok=True)
    (out / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)

for site in FIX:
    files = sorted((site / "content").rglob("*.md"))
    pieces = [(site / "almanac.toml").read_text()]
    for i, f in enumerate(files):
        text = f.read_text()
        put("front_matter", text.encode())
        body = text.split("+++", 2)[-1] if text.startswith("+++") else text
        put("markdown", bytes([i * 37 % 256]) + body.encode())
        pieces.append(str(f.relative_to(site / "content")) + "\n" + text)
    put("site", SEP.join(pieces[:40]).encode())
