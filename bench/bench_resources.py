"""Latency of the resources package: location resolution and nearest-place lookup.

Runs offline (no network at all): a deterministic mix of >= 10,000 messages like the ones people
send (ZIPs, towns, landmarks, typos, other states, whole sentences, messages with no place),
then prints median / p95 / p99 and writes bench/results/resources.json. Import time and index
build time are measured in fresh subprocesses so caches do not hide them.

    python bench/bench_resources.py [--queries 20000] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from resources import find_nearest_places, resolve_location  # noqa: E402
from resources.locations import warm_up  # noqa: E402

RESULTS = REPO / "bench" / "results" / "resources.json"
ZIPS = [
    "89119",
    "89104",
    "89101",
    "89030",
    "89123",
    "89502",
    "89512",
    "89431",
    "89801",
    "89701",
    "89048",
    "93701",
    "95814",
    "90012",
    "94103",
    "10001",
    "60601",
    "73301",
    "85004",
    "97201",
    "99999",
    "12345",
]
PLACES = [
    "las vegas",
    "vegas",
    "north las vegas",
    "henderson",
    "summerlin",
    "the strip",
    "downtown las vegas",
    "fremont street",
    "unlv",
    "boulder city",
    "reno",
    "sparks",
    "downtown reno",
    "midtown reno",
    "sun valley",
    "stead",
    "unr",
    "carson city",
    "elko",
    "pahrump",
    "fresno",
    "sacramento",
    "los angeles",
    "LA",
    "oakland",
    "san diego",
    "bakersfield",
    "stockton",
    "modesto",
    "redding",
]
OTHER_STATES = [
    "austin tx",
    "new york",
    "chicago il",
    "phoenix",
    "portland or",
    "dallas tx",
    "springfield",
    "miami fl",
    "denver co",
    "salt lake city ut",
    "boise id",
]
TEMPLATES = [
    "{p}",
    "im in {p}",
    "i need a shelter, im in {p}",
    "safe place near {p}",
    "place to stay {p}",
    "im by {p}",
    "{p} please",
    "near {p}",
    "I'm in {p} right now",
    "can you find somewhere i can sleep in {p}",
    "{p}!!",
]
NO_PLACE = [
    "help",
    "i need help",
    "i want to go home",
    "im not safe",
    "i need a place to stay",
    "is this private",
    "my boyfriend takes my money",
    "i'm 15",
    "yes",
    "no",
    "can i talk to a real person",
    "i ran away last night and i dont know what to do",
    "he says he loves me but he hurts me",
    "where can i take a shower",
    "ok thanks",
    "what are the warning signs my daughter is being groomed",
    "STOP",
    "hi",
]


def typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, max(2, len(word) - 1))
    kind = rng.choice(("drop", "double", "swap", "vowel"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiou") + word[i + 1 :]


def messages(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        roll = rng.random()
        template = rng.choice(TEMPLATES)
        if roll < 0.25:
            out.append(template.format(p=rng.choice(ZIPS)))
        elif roll < 0.55:
            out.append(template.format(p=rng.choice(PLACES)))
        elif roll < 0.65:
            out.append(template.format(p=typo(rng, rng.choice(PLACES[:20]))))
        elif roll < 0.75:
            out.append(template.format(p=rng.choice(OTHER_STATES)))
        else:
            out.append(rng.choice(NO_PLACE))
    return out


def summary(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered) * 1000, 4),
        "p95_ms": round(pick(0.95) * 1000, 4),
        "p99_ms": round(pick(0.99) * 1000, 4),
        "max_ms": round(ordered[-1] * 1000, 4),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 4),
    }


def in_fresh_process(code: str, runs: int = 5) -> float:
    """Median seconds printed by ``code`` in a new interpreter (cold caches, no imports)."""
    values = []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
        )
        values.append(float(result.stdout.strip().splitlines()[-1]))
    return statistics.median(values)


IMPORT = "import time; t = time.perf_counter(); import resources; print(time.perf_counter() - t)"
CATALOG = (
    "import time, resources; t = time.perf_counter(); resources.load_catalog(); "
    "print(time.perf_counter() - t)"
)
INDEX = (
    "import time, resources; from resources.locations import warm_up; "
    "resources.load_catalog(); t = time.perf_counter(); warm_up(); "
    "print(time.perf_counter() - t)"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    queries = messages(max(args.queries, 10_000), args.seed)

    warm_up()
    for text in queries[:500]:
        resolve_location(text)

    resolve_times, nearest_times, both_times = [], [], []
    statuses: dict[str, int] = {}
    rng = random.Random(args.seed + 1)
    base = datetime(2026, 11, 24, tzinfo=timezone.utc)
    for text in queries:
        start = time.perf_counter()
        found = resolve_location(text)
        middle = time.perf_counter()
        resolve_times.append(middle - start)
        statuses[found.status] = statuses.get(found.status, 0) + 1
        if found.point is None:
            continue
        when = base + timedelta(minutes=rng.randrange(7 * 24 * 60))
        age = rng.choice((None, 13, 15, 16, 17, 19, 22))
        before = time.perf_counter()
        find_nearest_places(found.point, age=age, when=when, state=found.state)
        end = time.perf_counter()
        nearest_times.append(end - before)
        both_times.append(end - start)

    summary_of = {
        "resolve_location": summary(resolve_times),
        "find_nearest_places": summary(nearest_times),
        "resolve_then_nearest": summary(both_times),
    }
    results = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}",
        "queries": len(queries),
        "statuses": statuses,
        **summary_of,
        "import_resources_s": round(in_fresh_process(IMPORT), 4),
        "load_catalog_s": round(in_fresh_process(CATALOG), 4),
        "location_index_build_s": round(in_fresh_process(INDEX), 4),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for key in ("resolve_location", "find_nearest_places", "resolve_then_nearest"):
        r = summary_of[key]
        print(
            f"{key:22} n={r['n']:6.0f}  median {r['median_ms']:.4f} ms"
            f"  p95 {r['p95_ms']:.4f} ms  p99 {r['p99_ms']:.4f} ms"
        )
    print(f"statuses: {statuses}")
    print(
        f"import resources {results['import_resources_s']} s, "
        f"load_catalog {results['load_catalog_s']} s, "
        f"location index build {results['location_index_build_s']} s"
    )
    print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
