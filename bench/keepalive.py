#!/usr/bin/env python3
"""Requests per second for `/` on one keep-alive connection to a running
`almanac serve` (a response held back by Nagle's algorithm waits ~40 ms
for the client's delayed ACK).

Usage: bench/keepalive.py [HOST] [PORT] [N]   (default 127.0.0.1 1111 200)
"""
import http.client
import sys
import time

host = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
port = int(sys.argv[2]) if len(sys.argv) > 2 else 1111
n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
conn = http.client.HTTPConnection(host, port)
start = time.time()
for _ in range(n):
    conn.request("GET", "/", headers={"Host": "localhost"})
    conn.getresponse().read()
took = time.time() - start
print(f"{n / took:.1f} requests/s on one keep-alive connection ({took / n * 1000:.2f} ms each)")
