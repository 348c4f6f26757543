"""Compares two Pagefind bundles (`pagefind/` folders) as their readers see them: the same
file names, and the same bytes once each gzipped file is decompressed (Pagefind's JavaScript
inflates every index, fragment, filter and metadata file; how tightly they were compressed
changes nothing it reads). Prints what differs; exits 1 if anything does.

    python3 tests/compare_index.py REFERENCE/pagefind PATCHED/pagefind
"""
import gzip
import os
import sys


def files(root):
    out = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            out[os.path.relpath(path, root)] = path
    return out


def content(path):
    with open(path, "rb") as f:
        data = f.read()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def main(reference, patched):
    a, b = files(reference), files(patched)
    problems = [f"only in reference: {n}" for n in sorted(a.keys() - b.keys())]
    problems += [f"only in patched: {n}" for n in sorted(b.keys() - a.keys())]
    compressed = [0, 0]
    for name in sorted(a.keys() & b.keys()):
        compressed[0] += os.path.getsize(a[name])
        compressed[1] += os.path.getsize(b[name])
        if content(a[name]) != content(b[name]):
            problems.append(f"differs once decompressed: {name}")
    for p in problems[:10]:
        print(p, file=sys.stderr)
    print(
        f"{len(a)} files; {compressed[1]} bytes against the reference's {compressed[0]}"
        f" ({compressed[1] / max(compressed[0], 1):.3f}x)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
