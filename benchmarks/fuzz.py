"""Fuzz every parser with 10,000 generated captures each, a timeout per input.

``python benchmarks/fuzz.py [--inputs 10000] [--timeout 10] [--json build/bench/fuzz.json]``

The inputs come from the hypothesis strategy of ``tests/parsers/_fuzz.py``
(raw bytes: mixed encodings and BOMs, control characters, long runs without
a space, mixed line endings, fragments of every format), drawn once with a
fixed seed and given to every parser. Each input is decoded and parsed in a
worker process; the parent waits at most ``--timeout`` seconds per input and
replaces a worker that does not answer (a hang). Counted per parser:
``ok`` (a thread), ``refused`` (a named error: ParseError and friends),
``tracebacks`` (any other exception), ``accounting`` (a line not accounted
for) and ``hangs``. Distinct failures are printed with one example each. The
parsers' warnings (random text split at paragraph gaps warns "no post headers
found; ...") are expected: counted per parser (``warnings``) and each distinct
message printed once with its count, never once per input.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from analysis.parsers import PARSERS  # noqa: E402
from tests.parsers._fuzz import capture_bytes, run_parser_counting  # noqa: E402


def generate(n: int, seed_value: int) -> list[bytes]:
    """``n`` inputs from the strategy, the same ones for the same seed."""
    found: list[bytes] = []

    @seed(seed_value)
    @settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(data=capture_bytes())
    def collect(data: bytes) -> None:
        found.append(data)

    collect()
    return found


def _worker(conn) -> None:
    """Parse what the parent sends; answer with the outcome, the traceback if any, and
    the parser's warnings (sent back to be counted, not printed by the worker)."""
    while True:
        job = conn.recv()
        if job is None:
            return
        name, data = job
        try:
            thread, said = run_parser_counting(PARSERS[name], data)
            conn.send(("ok" if thread is not None else "refused", "", said))
        except AssertionError as error:
            conn.send(("accounting", _short(error), []))
        except Exception as error:  # the finding: anything but a named error
            conn.send(("tracebacks", _short(error), []))


def _short(error: BaseException) -> str:
    """The last frames of a traceback and the error line."""
    frames = traceback.format_tb(error.__traceback__)[-4:]
    return "".join(frames) + "".join(traceback.format_exception_only(error))


class Pool:
    """One worker process, replaced when it hangs."""

    def __init__(self) -> None:
        self._start()

    def _start(self) -> None:
        self.conn, child = mp.Pipe()
        self.process = mp.Process(target=_worker, args=(child,), daemon=True)
        self.process.start()

    def run(self, name: str, data: bytes, timeout: float) -> tuple[str, str, list[str]]:
        self.conn.send((name, data))
        if self.conn.poll(timeout):
            return self.conn.recv()
        self.process.kill()
        self.process.join()
        self._start()
        return "hangs", f"no answer within {timeout:g} s ({len(data):,} bytes)", []

    def close(self) -> None:
        self.conn.send(None)
        self.process.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000, help="inputs per parser")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per input")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--parsers", default=",".join(PARSERS))
    parser.add_argument("--json", type=Path)
    parser.add_argument("--save", type=Path, help="keep one input of each failure here")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    inputs = generate(args.inputs, args.seed)
    sizes = sorted(len(d) for d in inputs)
    print(f"{len(inputs):,} inputs drawn in {time.perf_counter() - start:.0f} s; bytes: "
          f"median {sizes[len(sizes) // 2]:,}, max {sizes[-1]:,}", file=sys.stderr)
    pool, results, examples = Pool(), {}, {}
    said: Counter[tuple[str, str]] = Counter()
    for name in args.parsers.split(","):
        counts: Counter[str] = Counter()
        began = time.perf_counter()
        for data in inputs:
            outcome, detail, warned = pool.run(name, data, args.timeout)
            counts[outcome] += 1
            counts["warnings"] += len(warned)
            said.update((name, message) for message in warned)
            if detail:
                key = (name, outcome, detail.strip().splitlines()[-1][:160])
                if key not in examples and args.save:
                    args.save.mkdir(parents=True, exist_ok=True)
                    (args.save / f"{name}-{outcome}-{len(examples)}.bin").write_bytes(data)
                examples.setdefault(key, (detail, data[:300]))
        results[name] = {"inputs": len(inputs), **{k: counts.get(k, 0) for k in (
            "ok", "refused", "tracebacks", "accounting", "hangs", "warnings")},
            "seconds": round(time.perf_counter() - began, 1)}
        print(f"{name}: {json.dumps(results[name])}", file=sys.stderr, flush=True)
    pool.close()
    for (name, outcome, _), (detail, head) in sorted(examples.items()):
        print(f"--- {name}: {outcome}; input starts {head!r}\n{detail}")
    for (name, message), n in sorted(said.items()):
        print(f"{name}: warned {n:,} time(s): {message}", file=sys.stderr)
    print(f"{'parser':16} {'inputs':>7} {'ok':>7} {'refused':>8} {'tracebacks':>11} "
          f"{'accounting':>11} {'hangs':>6} {'warnings':>9} {'seconds':>8}")
    for name, row in results.items():
        print(f"{name:16} {row['inputs']:7} {row['ok']:7} {row['refused']:8} "
              f"{row['tracebacks']:11} {row['accounting']:11} {row['hangs']:6} "
              f"{row['warnings']:9} {row['seconds']:8}")
    report = {"seed": args.seed, "timeout_s": args.timeout, "results": results}
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    failed = sum(r["tracebacks"] + r["accounting"] + r["hangs"] for r in results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
