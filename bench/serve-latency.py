#!/usr/bin/env python3
"""Edit-to-reload latency of `gloss serve` on a generated corpus.

    bench/serve-latency.py [ARTICLES] [EDITS]      default: 5000 30
    SEARCH=1 bench/serve-latency.py [ARTICLES] [EDITS]

With SEARCH=1 the corpus is served with search on, and each edit also measures from the write
to the moment the served search index is the edited site's (`pagefind-entry.json` names a new
index): the background indexer's freshness.

Generates the corpus with `gloss-corpus` (cached under WORK, default /dev/shm/gloss-bench),
starts `gloss serve` on it, listens to the live-reload event stream like a page does, then
edits one article at a time and measures from the write to the `reload` event that names the
article's page: watcher, incremental rebuild and event delivery together. A page's own reload
request comes after that and is not counted. Prints median, p95 and the worst case.
"""
import os
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
EDITS = int(sys.argv[2]) if len(sys.argv) > 2 else 30
WORK = os.environ.get("WORK", "/dev/shm/gloss-bench")

subprocess.run(["cargo", "build", "--release", "--locked", "--features", "corpus", "-q"], cwd=ROOT, check=True)
gloss = os.path.join(ROOT, "target/release/gloss")
corpus = os.path.join(WORK, f"corpus-{N}")
if not os.path.isdir(os.path.join(corpus, "gloss")):
    subprocess.run([os.path.join(ROOT, "target/release/gloss-corpus"), str(N), corpus], check=True,
                   stderr=subprocess.DEVNULL)
site = os.path.join(corpus, "gloss")
SEARCH = os.environ.get("SEARCH") == "1"
if SEARCH:
    searching = os.path.join(corpus, "gloss-serve-search")
    subprocess.run(["rm", "-rf", searching], check=True)
    subprocess.run(["cp", "-r", site, searching], check=True)
    toml = os.path.join(searching, "site.toml")
    with open(toml, encoding="utf-8") as f:
        text = f.read().replace("search = false", "search = true")
    with open(toml, "w", encoding="utf-8") as f:
        f.write(text)
    site = searching

started = time.monotonic()
# The server's terminal output (rebuild phases per edit) goes to WORK/serve.log.
log = open(os.path.join(WORK, "serve.log"), "w")
server = subprocess.Popen([gloss, "serve", "--port", "0", "--root", site], stdout=subprocess.PIPE,
                          stderr=log, text=True)
try:
    url = server.stdout.readline().strip()
    first_build = time.monotonic() - started
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    stream = socket.create_connection((host, int(port)))
    stream.sendall(b"GET /__gloss/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
    lines = stream.makefile("r", encoding="utf-8", newline="\n")

    def next_event():
        name = None
        for line in lines:
            line = line.rstrip("\r\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and name:
                return name, line[6:]

    assert next_event()[0] == "hello"

    def entry():
        """The served pagefind-entry.json, or None before the first index."""
        request = socket.create_connection((host, int(port)))
        request.sendall(b"GET /pagefind/pagefind-entry.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := request.recv(65536):
            data += chunk
        request.close()
        head, _, body = data.partition(b"\r\n\r\n")
        return body if head.startswith(b"HTTP/1.1 200") else None

    if SEARCH:
        while entry() is None:
            time.sleep(0.1)
        print(f"first index served after {time.monotonic() - started:.2f} s")
    freshness = []
    articles = sorted(f for f in os.listdir(os.path.join(site, "content/articles")) if f.endswith(".md"))
    step = max(1, len(articles) // EDITS)
    latencies = []
    for i in range(EDITS):
        name = articles[(i * step) % len(articles)]
        path = os.path.join(site, "content/articles", name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        page = f"articles/{name[:-3]}/index.html"
        before = entry() if SEARCH else None
        t0 = time.monotonic()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + f"\nAn edit, number {i}.\n")
        while True:
            event, data = next_event()
            if event == "reload" and page in data:
                break
            if event == "errors":
                sys.exit(f"the edit broke the build: {data[:300]}")
        latencies.append((time.monotonic() - t0) * 1000)
        if SEARCH:
            while entry() == before:
                time.sleep(0.01)
            freshness.append((time.monotonic() - t0) * 1000)
        time.sleep(0.2)
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    print(f"gloss serve, {N} articles: first build and listen {first_build:.2f} s")
    print(f"edit-to-reload over {EDITS} edits: median {statistics.median(latencies):.0f} ms, "
          f"p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms")
    if SEARCH:
        freshness.sort()
        p95 = freshness[min(len(freshness) - 1, round(0.95 * (len(freshness) - 1)))]
        print(f"edit-to-fresh-index over {EDITS} edits: median {statistics.median(freshness):.0f} ms, "
              f"p95 {p95:.0f} ms, max {freshness[-1]:.0f} ms")
finally:
    server.kill()
    server.wait()
