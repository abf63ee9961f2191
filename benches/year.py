#!/usr/bin/env python3
"""Year-scale benchmark (issue 9): builds a year of archives from the fixtures and times, in one
run and on the same files, `preuves scan` cold and warm (results cache), `--no-ocr`, `--jobs 1`,
against `pdftotext` over every PDF and PyMuPDF's text extraction (`pip install pymupdf`).

    cargo build --release
    python3 benches/year.py                 # 20 copies: ~7,400 files, ~500 sessions, ~1,500 scanned pages
    python3 benches/year.py --copies 5      # quicker
    python3 benches/year.py --flat          # also the memory at 4x the size (born-digital reading)
    python3 benches/year.py --skip-ocr      # born-digital runs only (no cold/warm scan with OCR)

The archive is built in a temporary folder (never in the repository): COPIES copies of
`fixtures/archive` and `fixtures/heldout/archive`, every folder renamed with its copy number so
that no two files share a name and folders (each file is understood, and cached, on its own).
Times are wall-clock seconds and CPU seconds (user + system, children included: tesseract when it
runs as a command); memory is the peak resident set (ru_maxrss) of the process tree. Each fast
command runs `--runs` times (median); the cold scan with OCR runs once per cache state.
Prints a Markdown table for BENCHMARKS.md and writes the figures as JSON next to the archive.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("PREUVES_BIN", os.path.join(REPO, "target", "release", "preuves"))
SOURCES = [os.path.join(REPO, "fixtures", "archive"), os.path.join(REPO, "fixtures", "heldout", "archive")]

PYMUPDF = r"""
import sys, pymupdf
n = 0
for path in sys.stdin.read().split("\0"):
    if not path:
        continue
    try:
        with pymupdf.open(path) as doc:
            for page in doc:
                n += len(page.get_text())
    except Exception:
        pass
print(n)
"""


def build(dest, copies):
    if os.path.exists(dest):
        shutil.rmtree(dest)
    files = 0
    for c in range(1, copies + 1):
        for si, src in enumerate(SOURCES):
            for dirpath, dirnames, filenames in os.walk(src):
                rel = os.path.relpath(dirpath, src)
                parts = [] if rel == "." else rel.split(os.sep)
                out_parts = [f"{p} - lot {c:03d}" for p in parts]
                out_dir = os.path.join(dest, f"organisation {si + 1}-{c:03d}", *out_parts)
                os.makedirs(out_dir, exist_ok=True)
                for f in filenames:
                    shutil.copy2(os.path.join(dirpath, f), os.path.join(out_dir, f))
                    files += 1
    return files


def run(cmd, stdin=None, env=None, ok=(0,), parent=None):
    """Runs a command; returns (wall s, cpu s, peak RSS MB) of its process tree (the largest
    process: with workers, a worker may be larger than the parent). With `parent` (a dict), also
    stores there under "mb" the peak resident memory of the command's own process (VmHWM, read
    from /proc while it runs)."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    done = threading.Event()

    def status(pid, field):
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith(field):
                        return int(line.split()[1]) / 1024
        except (OSError, ValueError):
            pass
        return None

    def hwm(pid):
        return status(pid, "VmHWM:")

    def children(pid):
        # The workers are started by the parent's reading threads: every thread's children.
        out = []
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    out += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            pass
        return out

    def watch():
        # VmHWM only grows: the last reading before a process ends is its peak (reports are
        # written over the last seconds, read every 10 ms). The workers are read too: the
        # largest process of the tree ("tree_mb"), and the whole tree's resident memory at once
        # (the sum of the processes' VmRSS, at its highest: "sum_mb").
        while not done.is_set():
            m = hwm(p.pid)
            total = status(p.pid, "VmRSS:") or 0
            if m is not None:
                parent["mb"] = m
                parent["tree_mb"] = max(parent.get("tree_mb", 0), m)
            for c in children(p.pid):
                m = hwm(c)
                total += status(c, "VmRSS:") or 0
                if m is not None:
                    parent["tree_mb"] = max(parent.get("tree_mb", 0), m)
            parent["sum_mb"] = max(parent.get("sum_mb", 0), total)
            time.sleep(0.01)

    watcher = threading.Thread(target=watch) if parent is not None else None
    if watcher:
        watcher.start()
    if stdin is not None:
        p.stdin.write(stdin)
        p.stdin.close()
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    done.set()
    if watcher:
        watcher.join()
    wall = time.monotonic() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in ok:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{err.decode(errors='replace')[-2000:]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def median_of(n, cmd, **kw):
    runs = [run(cmd, **kw) for _ in range(n)]
    return tuple(statistics.median(r[i] for r in runs) for i in range(3))


def scan(root, out, *extra):
    return [BIN, "scan", root, "--out", out, "--quiet", *extra]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--flat", action="store_true", help="also measure memory at 4x the size")
    ap.add_argument("--skip-ocr", action="store_true",
                    help="skip the cold and warm scans with OCR (born-digital figures only)")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "preuves-year"))
    a = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release")
    root = os.path.join(a.work, "archive")
    out = os.path.join(a.work, "out")
    cache = os.path.join(a.work, "cache")
    files = build(root, a.copies)
    pdfs = []
    for dirpath, _, filenames in os.walk(root):
        pdfs += [os.path.join(dirpath, f) for f in filenames if f.lower().endswith(".pdf")]
    pdfs.sort()
    print(f"archive: {files} files ({len(pdfs)} PDFs), {a.copies} copies, in {root}", file=sys.stderr)
    r = {}
    nul = "\0".join(pdfs).encode()
    # Peers, one core each, over the PDFs only.
    # (xargs exits 123 when pdftotext refuses a broken PDF: the fixtures have some.)
    r["pdftotext"] = median_of(a.runs, ["xargs", "-0", "-I{}", "pdftotext", "-q", "{}", "/dev/null"],
                               stdin=nul, ok=(0, 123))
    r["pymupdf"] = median_of(a.runs, [sys.executable, "-c", PYMUPDF], stdin=nul)
    # preuves, born-digital reading (no OCR, no cache), one and two workers.
    r["no_ocr_1"] = median_of(a.runs, scan(root, out, "--no-ocr", "--no-cache", "--jobs", "1"))
    r["no_ocr_1_in"] = median_of(a.runs, scan(root, out, "--no-ocr", "--no-cache", "--jobs", "1",
                                              "--in-process"))
    r["no_ocr_2"] = median_of(a.runs, scan(root, out, "--no-ocr", "--no-cache", "--jobs", "2"))
    pages = 0
    if a.skip_ocr:
        with open(os.path.join(out, "report.json")) as f:
            rep = json.load(f)
        warm = {}
    else:
        # The whole scan with OCR: cold (empty cache), then warm (same cache, nothing changed).
        shutil.rmtree(cache, ignore_errors=True)
        r["cold"] = run(scan(root, out, "--cache", cache))
        with open(os.path.join(out, "report.json")) as f:
            rep = json.load(f)
        for d in rep["documents"]:
            o = d.get("metadata", {}).get("other", {}).get("ocr", "")
            # "tesseract 5.3.0 (fra+eng): 2 pages read"
            if ": " in o:
                try:
                    pages += int(o.rsplit(": ", 1)[1].split()[0])
                except ValueError:
                    pass
        r["warm"] = median_of(a.runs, scan(root, out, "--cache", cache))
        with open(os.path.join(out, "report.json")) as f:
            warm = json.load(f)["summary"]
    summary = rep["summary"]
    parent_x1, parent_x4 = {}, {}
    if a.flat:
        big = os.path.join(a.work, "archive4")
        build(big, a.copies * 4)
        r["no_ocr_2_x4"] = run(scan(big, out, "--no-ocr", "--no-cache"), parent=parent_x4)
        r["no_ocr_2_x1"] = run(scan(root, out, "--no-ocr", "--no-cache"), parent=parent_x1)
        shutil.rmtree(big)
    ocr_cpu = r["cold"][1] - r["no_ocr_2"][1] if "cold" in r else None
    fig = {
        "files": files, "pdfs": len(pdfs), "sessions": summary["sessions"],
        "documents": summary["documents"], "ocr_pages": pages,
        "warm_from_cache": warm.get("cache", {}).get("files_from_cache"),
        "runs": {k: {"wall_s": round(v[0], 2), "cpu_s": round(v[1], 2), "max_rss_mb": round(v[2], 1)}
                 for k, v in r.items()},
        "ratios": {
            "warm_over_cold": round(r["warm"][0] / r["cold"][0], 4) if "cold" in r else None,
            "ocr_cpu_per_page_s": round(ocr_cpu / pages, 3) if pages else None,
            "one_core_pipeline_over_pymupdf": round(r["no_ocr_1"][0] / r["pymupdf"][0], 3),
            "one_core_in_process_over_pymupdf": round(r["no_ocr_1_in"][0] / r["pymupdf"][0], 3),
            "one_core_pipeline_over_pdftotext": round(r["no_ocr_1"][0] / r["pdftotext"][0], 3),
            "speedup_2_cores": round(r["no_ocr_1"][0] / r["no_ocr_2"][0], 2),
        },
    }
    if a.flat:
        # The largest process of each run, read from /proc while it runs: ru_maxrss of a child
        # also counts this script's own memory at the fork (a loaded report.json), so it is not
        # used for the ratio.
        if parent_x1.get("tree_mb"):
            fig["ratios"]["memory_x4_over_x1"] = round(parent_x4["tree_mb"] / parent_x1["tree_mb"], 3)
        fig["largest_process_peak_rss_mb"] = {"x1": round(parent_x1.get("tree_mb", 0), 1),
                                              "x4": round(parent_x4.get("tree_mb", 0), 1)}
        fig["parent_peak_rss_mb"] = {"x1": round(parent_x1.get("mb", 0), 1),
                                     "x4": round(parent_x4.get("mb", 0), 1)}
        if parent_x1.get("mb"):
            fig["ratios"]["parent_memory_x4_over_x1"] = round(parent_x4["mb"] / parent_x1["mb"], 3)
        fig["whole_tree_peak_rss_mb"] = {"x1": round(parent_x1.get("sum_mb", 0), 1),
                                         "x4": round(parent_x4.get("sum_mb", 0), 1)}
        if parent_x1.get("sum_mb"):
            fig["ratios"]["whole_tree_memory_x4_over_x1"] = round(
                parent_x4["sum_mb"] / parent_x1["sum_mb"], 3)
    with open(os.path.join(a.work, "year.json"), "w") as f:
        json.dump(fig, f, indent=1)
    names = {
        "pdftotext": "pdftotext, every PDF, one at a time (1 core)",
        "pymupdf": "PyMuPDF text of every PDF (1 core)",
        "no_ocr_1": "preuves scan --no-ocr --no-cache --jobs 1",
        "no_ocr_1_in": "preuves scan --no-ocr --no-cache --jobs 1 --in-process",
        "no_ocr_2": "preuves scan --no-ocr --no-cache (2 workers)",
        "cold": "preuves scan, cold (empty cache, OCR)",
        "warm": "preuves scan, warm (same cache, nothing changed)",
        "no_ocr_2_x1": "preuves scan --no-ocr --no-cache, 1x archive",
        "no_ocr_2_x4": "preuves scan --no-ocr --no-cache, 4x archive",
    }
    print(f"{files} files ({len(pdfs)} PDFs), {summary['sessions']} sessions, "
          f"{summary['documents']} documents, {pages} pages OCRed\n")
    print("| run | wall s | CPU s | peak RSS MB |\n|---|---|---|---|")
    for k, v in r.items():
        print(f"| {names[k]} | {v[0]:.2f} | {v[1]:.2f} | {v[2]:.0f} |")
    if a.flat:
        print(f"\nparent process alone (VmHWM), 2 workers, --no-ocr: {parent_x1.get('mb', 0):.0f} MB "
              f"at 1x, {parent_x4.get('mb', 0):.0f} MB at 4x; largest process of the tree: "
              f"{parent_x1.get('tree_mb', 0):.0f} MB at 1x, {parent_x4.get('tree_mb', 0):.0f} MB at 4x; "
              f"whole tree at once (parent + workers): {parent_x1.get('sum_mb', 0):.0f} MB at 1x, "
              f"{parent_x4.get('sum_mb', 0):.0f} MB at 4x")
    print()
    for k, v in fig["ratios"].items():
        print(f"- {k}: {v}")


if __name__ == "__main__":
    main()
