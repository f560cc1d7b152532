"""What signing costs: `accords import` of a generated history signed and unsigned, and
`accords verify` of the signed log, measured in one run.

    python bench/signing_bench.py [--events 100000] [--repeat 1] [--postgres URL]

Each round imports the same history (bench/generate.py, seed 1) into two fresh stores
with the installed `accords` command, in turn: one unsigned, one with `--sign` (a key
registered first, by `accords key new`). One signature seals each append (an import
file is one append), so the cost is one Ed25519 signature and one event more, plus
reading the log's few key events before the append. Then `accords verify` of each store
(the signed one: the chain, then every signature). Medians of --repeat; times include process start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from postgres import FreshDatabase  # noqa: E402

IMPORT_RATIO_TARGET = 0.85  # signed / unsigned import throughput
VERIFY_TARGET = 150_000  # events/s, signatures included


def accords(*args: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(["accords", *args], check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--postgres", help="a PostgreSQL server URL: stores there instead of SQLite files")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="accords-signing-"))
    env = {**os.environ, "ACCORDS_WITNESS": str(folder / "witness.json")}
    env.pop("ACCORDS_SIGNING_KEY", None)
    history = folder / "history.jsonl"
    with history.open("wb") as out:
        generate_py = Path(__file__).resolve().parent / "generate.py"
        subprocess.run([sys.executable, str(generate_py), str(args.events), "-"], stdout=out, check=True)
    plain, signed, verified, verified_plain = [], [], [], []
    for round_ in range(args.repeat):
        for kind in ("plain", "signed"):
            with ExitStack() as stack:
                url = (
                    stack.enter_context(FreshDatabase(args.postgres))
                    if args.postgres
                    else str(folder / f"{kind}-{round_}.db")
                )
                accords("init", "--store", url, env=env)
                if kind == "plain":
                    plain.append(accords("import", "--store", url, str(history), env=env))
                    verified_plain.append(accords("verify", "--store", url, env=env))
                    continue
                key = folder / f"key-{round_}.pem"
                accords("key", "new", "Bench", "-o", str(key), "--store", url, env=env)
                signed.append(accords("import", "--store", url, "--sign", str(key), str(history), env=env))
                verified.append(accords("verify", "--store", url, env=env))
    p, s, v, vp = (statistics.median(x) for x in (plain, signed, verified, verified_plain))
    store = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{args.events:,} events, {store}, median of {args.repeat}")
    print(f"import unsigned  {p:8.2f} s  {args.events / p:10,.0f} events/s")
    print(f"import signed    {s:8.2f} s  {args.events / s:10,.0f} events/s")
    print(f"ratio signed/unsigned throughput {p / s:.3f} (target >= {IMPORT_RATIO_TARGET})")
    print(f"verify unsigned  {vp:8.2f} s  {args.events / vp:10,.0f} events/s")
    print(f"verify signed    {v:8.2f} s  {args.events / v:10,.0f} events/s (target >= {VERIFY_TARGET:,})")


if __name__ == "__main__":
    main()
