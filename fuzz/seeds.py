#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from the fixture sites.

front_matter: every Markdown file of the fixtures, whole.
markdown:     every body, behind a byte choosing kind / raw HTML mode / highlight.
site:         each fixture site as one input: almanac.toml, then its files.
search_tokens: small token caches in the format of src/search/cache.rs
               (postcard, without the stamp line the fuzz entry point skips).
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


def leb(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)

def cache(vocab, pages) -> bytes:
    """postcard's encoding of src/search/cache.rs's file after its stamp.
    vocab: [("cjk", key) | ("word", text)]; pages: [(file, inputs, [(token, where)])]."""
    out = bytearray(leb(len(vocab)))
    for kind, value in vocab:
        if kind == "cjk":
            out += leb(0) + leb(value)
        else:
            word = value.encode()
            out += leb(1) + leb(len(word)) + word
    out += leb(len(pages))
    for file, inputs, tokens in pages:
        out += leb(len(file.encode())) + file.encode() + leb(inputs)
        out += leb(len(tokens)) + b"".join(leb(t << 3 | w) for t, w in tokens)
    return bytes(out)

put("search_tokens", cache([], []))
put("search_tokens", cache(
    [("cjk", ord("群") << 32 | ord("规")), ("word", "rust"), ("cjk", ord("群") << 32)],
    [("content/rules/group.md", 7, [(0, 1), (2, 4)]), ("content/guides/english.md", 9, [(1, 2)])],
))
