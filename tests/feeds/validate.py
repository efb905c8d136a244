#!/usr/bin/env python3
"""Validates Atom feeds with tools that did not write them.

Usage: validate.py FEED...  Prints one line per problem; exits 1 if any.

- feedparser (installed into a local folder when missing) must read each
  feed without its `bozo` flag (well-formed XML, a feed it understands).
- RFC 4287 rules feedparser does not enforce: the feed has id, title and
  updated; every entry has id, title, updated, and an author of its own
  or the feed's (4.1.1); ids and links are absolute IRIs; dates are RFC 3339.
"""
import os, re, subprocess, sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = os.path.join(HERE, ".pylib")
sys.path.insert(0, LIB)
try:
    import feedparser
except ImportError:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--target", LIB, "feedparser==6.0.11"], check=True, stderr=subprocess.DEVNULL)
    import importlib
    importlib.invalidate_caches()
    import feedparser

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
problems = []

def need(cond, path, msg):
    if not cond:
        problems.append(f"{path}: {msg}")

for path in sys.argv[1:]:
    parsed = feedparser.parse(path)
    need(not parsed.bozo, path, f"feedparser: {parsed.get('bozo_exception')}")
    need(parsed.version == "atom10", path, f"feedparser reads it as {parsed.version!r}")
    root = ET.parse(path).getroot()
    need(root.tag == A + "feed", path, "root is not an Atom feed")
    for key in ("id", "title", "updated"):
        need(root.find(A + key) is not None, path, f"feed has no <{key}>")
    feed_author = root.find(A + "author")
    need(feed_author is None or (feed_author.findtext(A + "name") or "").strip(), path, "feed author has no name")
    for el in [root] + root.findall(A + "entry"):
        up = el.findtext(A + "updated") or ""
        need(RFC3339.match(up), path, f"updated {up!r} is not RFC 3339")
        ident = el.findtext(A + "id") or ""
        need(re.match(r"^[a-z][a-z0-9+.-]*:", ident), path, f"id {ident!r} is not an absolute IRI")
        for link in el.findall(A + "link"):
            need(re.match(r"^https?://", link.get("href", "")), path, f"link {link.get('href')!r} is not absolute")
    for e in root.findall(A + "entry"):
        for key in ("id", "title", "updated"):
            need(e.find(A + key) is not None, path, f"entry has no <{key}>")
        need(e.find(A + "author") is not None or feed_author is not None, path,
             f"entry {e.findtext(A + 'id')} has no author, nor has the feed")

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
