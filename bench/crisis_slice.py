#!/usr/bin/env python3
"""Cut a crisis corpus (crisis items + evenly spaced distractors) out of the big news file.

Reads a JSONL news file (optionally gzipped; default
/work/shared/data/news-2023-07-to-10-en.jsonl.gz) and writes a JSONL corpus
(gzipped when --out ends in .gz) with the input's fields unchanged, one item a line:

  * every item whose title or description matches --match (Python regex,
    case-insensitive, searched in the raw text);
  * plus --distractors N other, non-matching items taken evenly from the same file:
    every k-th non-matching line, k = (number of non-matching lines) // N,
    so the distractors span the whole period and all feeds.

Items are written in input-file order. Only the standard library is used; the
input is streamed twice (once to count, once to write), never loaded whole.

The Maui wildfire corpus of bench/blind-maui.jsonl was built with (from /work/main):

  python3 bench/crisis_slice.py \\
    --match 'lahaina|(?<!\\.net )\\bmaui\\b|\\bhawaii\\w*\\b.*\\b(wildfires?|fires?|blazes?|burn\\w*)\\b|\\b(wildfires?|fires?|blazes?|burn\\w*)\\b.*\\bhawaii' \\
    --distractors 3000 --out bench/corpus-maui.jsonl.gz
"""
import argparse
import gzip
import io
import json
import re
import sys

DEFAULT_IN = "/work/shared/data/news-2023-07-to-10-en.jsonl.gz"


def open_text(path, mode):
    if path.endswith(".gz") and mode == "w":
        # mtime=0: gzip stamps the time in its header, so two runs would differ in four bytes.
        return io.TextIOWrapper(gzip.GzipFile(path, "wb", mtime=0), encoding="utf-8")
    if path.endswith(".gz"):
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")


def matches(line, rx):
    try:
        d = json.loads(line)
    except ValueError:
        return None  # unreadable line: neither crisis item nor distractor
    text = (d.get("title") or "") + "\n" + (d.get("description") or "")
    return bool(rx.search(text))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--match", required=True, help="regex (case-insensitive) on title or description")
    ap.add_argument("--distractors", type=int, default=3000, help="number of non-matching items to add")
    ap.add_argument("--out", required=True, help="output JSONL (.gz => gzip)")
    ap.add_argument("--input", default=DEFAULT_IN, help="input JSONL(.gz); default %(default)s")
    a = ap.parse_args(argv)
    rx = re.compile(a.match, re.I)

    # pass 1: count non-matching lines to fix the stride
    other = 0
    with open_text(a.input, "r") as f:
        for line in f:
            if matches(line, rx) is False:
                other += 1
    k = max(1, other // a.distractors) if a.distractors > 0 else 0

    # pass 2: write matches + every k-th non-matching line
    n_match = n_dis = j = 0
    with open_text(a.input, "r") as f, open_text(a.out, "w") as out:
        for line in f:
            m = matches(line, rx)
            if m is None:
                continue
            if m:
                out.write(line if line.endswith("\n") else line + "\n")
                n_match += 1
            else:
                if k and j % k == 0 and n_dis < a.distractors:
                    out.write(line if line.endswith("\n") else line + "\n")
                    n_dis += 1
                j += 1
    print(f"{a.out}: {n_match} matching items + {n_dis} distractors (every {k}th of {other})",
          file=sys.stderr)


if __name__ == "__main__":
    main()
