"""Journal appends per second with one chain per site: 4 concurrent issuers per site, for 1, 4 and 16 sites.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atelier_bench \\
        .venv/bin/python bench/bench_journal.py [--seconds 5] [--issuers 4] [--sites 1,4,16]

PostgreSQL only (its row locks are what the sites share or not; use a database of its own, it is flushed).
Each issuer is a process with its own connection that appends, for `seconds`, one entry per transaction to its
site's chain (billing.journal.journal_append: lock of the site's head, Ed25519 signature, the entry, the head),
with a payload the size of an invoice's content. A last line runs every issuer of the largest run on ONE site:
what a single chain for the whole network would give. Prints appends per second and per-append latency.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import time

from benchsetup import django_for_bench  # bench/ is sys.path[0] when run as a script

PAYLOAD = {"lines": [{"designation": "Remplacement de la pompe de vidange", "price": "89.00"}] * 12}


def issuer(site_id: int, seconds: float, start_at: float, results) -> None:
    from django.db import connection
    from django.utils import timezone

    from atelier.billing.journal import journal_append
    from atelier.core.models import Site

    site = Site.objects.get(pk=site_id)
    while time.time() < start_at:
        time.sleep(0.001)
    latencies = []
    end = start_at + seconds
    while time.time() < end:
        t0 = time.perf_counter()
        journal_append(
            site=site, kind="parametre", reference="bench", amount=0, at=timezone.now(), payload=PAYLOAD
        )
        latencies.append(time.perf_counter() - t0)
    connection.close()
    results.put(latencies)


def _cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine (Linux): how busy the cores were during a run."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def run(site_ids: list[int], issuers: int, seconds: float) -> tuple[int, float, float, float, float]:
    from django.db import connections

    connections.close_all()  # each process opens its own
    results: multiprocessing.Queue = multiprocessing.Queue()
    start_at = time.time() + 1.0
    procs = [
        multiprocessing.Process(target=issuer, args=(site_id, seconds, start_at, results))
        for site_id in site_ids
        for _ in range(issuers)
    ]
    for p in procs:
        p.start()
    time.sleep(max(0.0, start_at - time.time()))
    busy0, total0 = _cpu_times()
    latencies = [x for _ in procs for x in results.get()]
    busy1, total1 = _cpu_times()
    for p in procs:
        p.join()
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    cpu = 100 * (busy1 - busy0) / max(1, total1 - total0)
    return len(latencies), len(latencies) / seconds, statistics.median(latencies) * 1000, p95 * 1000, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--issuers", type=int, default=4)
    parser.add_argument("--sites", default="1,4,16")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(
            "bench_journal mesure des verrous de lignes : lancez-le sur PostgreSQL (DATABASE_URL=postgres://…)."
        )
    django_for_bench()
    from django.core.management import call_command

    from atelier.billing.guards import rewrite_allowed
    from atelier.billing.verify import journal_verify
    from atelier.core.models import Site

    with rewrite_allowed():  # the bench's own database: emptied, journal included, on purpose
        call_command("flush", "--noinput", verbosity=0)
    counts = [int(n) for n in args.sites.split(",")]
    sites = [Site.objects.create(code=f"B{n:03d}", name=f"Bench {n}") for n in range(max(counts))]
    print(
        f"{'sites':>5} {'issuers':>7} {'appends':>8} {'appends/s':>10} {'median ms':>10} {'p95 ms':>8} {'cpu %':>6}"
    )
    for count in counts:
        chosen = [s.pk for s in sites[:count]]
        done, rate, median, p95, cpu = run(chosen, args.issuers, args.seconds)
        print(
            f"{count:>5} {count * args.issuers:>7} {done:>8} {rate:>10.0f} {median:>10.1f} {p95:>8.1f} {cpu:>6.0f}"
        )
    one = [sites[0].pk] * max(counts)
    done, rate, median, p95, cpu = run(one, args.issuers, args.seconds)
    print(
        f"{'1*':>5} {max(counts) * args.issuers:>7} {done:>8} {rate:>10.0f} {median:>10.1f} {p95:>8.1f} {cpu:>6.0f}"
    )
    print("* every issuer of the largest run on one chain (a single chain for the whole network)")
    print(
        f"cpu %: how busy the machine's {os.cpu_count()} cores were during the run (issuers and PostgreSQL)"
    )
    verdict = journal_verify(documents=False)
    print(f"journal verify: {verdict.message}")


if __name__ == "__main__":
    main()
