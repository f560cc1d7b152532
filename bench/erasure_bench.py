"""What sealing persons costs, and what forgetting one takes: measured in one run.

    python bench/erasure_bench.py [--events 25000] [--repeat 1]

The generated history (bench/generate.py, seed 1) is written twice: as it is, and with
every claim naming a private person (the quote begins with their name, and the claim's
`persons` gives an id, the name, a detail and the mention). Each is imported into a fresh
SQLite store with the installed `accords` command, in turn, and projected (`project rdf`):
the ratio of the two is what sealing (an AES-SIV encryption per claim and its key kept) and
revealing (a decryption per claim read) cost. Then `accords erase` of one person in the
store that names them, which destroys the key, clears the WAL and builds the graph again,
against its peer `accords project rdf --rebuild` on the same store. Medians of --repeat;
times include process start.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def accords(*args: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(["accords", *args], check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def with_persons(history: Path, out: Path) -> int:
    """history with a person named in each claim's quote; how many claims name one."""
    named = 0
    with history.open() as lines, out.open("w") as written:
        for line in lines:
            event = json.loads(line)
            if event["type"] == "ClaimRecorded":
                named += 1
                name = f"Nadia Roe{named}"
                body = event["body"]
                body["quote"] = f"{name}, a deportee, was named. {body['quote']}"
                body["persons"] = [{"id": f"person/p{named}", "name": name, "details": {"age": 30 + named % 40}}]
            written.write(json.dumps(event) + "\n")
    return named


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=25_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="accords-erasure-"))
    env = {**os.environ, "ACCORDS_WITNESS": str(folder / "witness.json")}
    plain_history, named_history = folder / "plain.jsonl", folder / "named.jsonl"
    with plain_history.open("wb") as out:
        generate_py = Path(__file__).resolve().parent / "generate.py"
        subprocess.run([sys.executable, str(generate_py), str(args.events), "-"], stdout=out, check=True)
    claims = with_persons(plain_history, named_history)
    times: dict[str, list[float]] = {k: [] for k in ("import", "import named", "project", "project named")}
    times |= {"erase": [], "rebuild": []}
    for round_ in range(args.repeat):
        for kind, history in (("", plain_history), (" named", named_history)):
            url = str(folder / f"{kind.strip() or 'plain'}-{round_}.db")
            accords("init", "--store", url, env=env)
            times["import" + kind].append(accords("import", "--store", url, str(history), env=env))
            times["project" + kind].append(accords("project", "rdf", "--store", url, env=env))
        url = str(folder / f"named-{round_}.db")
        times["rebuild"].append(accords("project", "rdf", "--rebuild", "--store", url, env=env))
        times["erase"].append(accords("erase", f"person/p{claims // 2}", "--reason", "bench", "--store", url, env=env))
    m = {k: statistics.median(v) for k, v in times.items()}
    print(f"{args.events:,} events ({claims:,} claims, each naming a person in the named history), SQLite,")
    print(f"median of {args.repeat}")
    print(
        f"import        plain {m['import']:7.2f} s   named {m['import named']:7.2f} s   ratio {m['import named'] / m['import']:.2f}"
    )
    print(
        f"project rdf   plain {m['project']:7.2f} s   named {m['project named']:7.2f} s   ratio {m['project named'] / m['project']:.2f}"
    )
    print(
        f"erase one person {m['erase']:7.2f} s   project rdf --rebuild {m['rebuild']:7.2f} s   ratio {m['erase'] / m['rebuild']:.2f}"
    )


if __name__ == "__main__":
    main()
