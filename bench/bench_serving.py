"""Throughput of a running Atelier: N clients in threads, each requesting URL in a loop for S seconds.

    python bench/bench_serving.py http://127.0.0.1:8000/connexion/ --clients 8 --seconds 20

Prints requests per second, the median and 95th-percentile latency and the count of non-200 answers. Start
the server yourself (`make serve`, or `atelier runserver` to compare): issue 17 measured runserver at about half
gunicorn's throughput with 8 clients.
"""

import argparse
import statistics
import threading
import time
import urllib.error
import urllib.request


def client(url: str, until: float, latencies: list[float], errors: list[int]) -> None:
    while time.perf_counter() < until:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=30) as answer:
                answer.read()
                status = answer.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            status = 0
        latencies.append(time.perf_counter() - started)
        if status != 200:
            errors.append(status)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    options = parser.parse_args()
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    until = started + options.seconds
    threads = [
        threading.Thread(target=client, args=(options.url, until, latencies, errors))
        for _ in range(options.clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    print(
        f"{options.url} {options.clients} clients {elapsed:.1f} s: {len(latencies) / elapsed:.1f} req/s, "
        f"median {statistics.median(ordered) * 1000:.0f} ms, "
        f"p95 {ordered[int(len(ordered) * 0.95)] * 1000:.0f} ms, non-200: {len(errors)}"
    )


if __name__ == "__main__":
    main()
