"""Gunicorn's configuration (`gunicorn -c` this file; `atelier.config.serve` does it for `make serve` and Docker).

- ATELIER_BIND     address:port to listen on (default 127.0.0.1:8000; 0.0.0.0:8000 in the container)
- ATELIER_WORKERS  worker processes (default 2 × cores + 1, at most 8: each holds the app, ~150 MB; requests wait
                   on the database, not the CPU, beyond that)
- ATELIER_THREADS  threads per worker (default 1: sync workers; more: gthread workers, which help when requests
                   mostly wait on a remote PostgreSQL)
- ATELIER_TIMEOUT  seconds a request may take before its worker is replaced (default 60: a long PDF)
With ATELIER_METRICS=1 the workers keep their metrics in PROMETHEUS_MULTIPROC_DIR (default DATA_DIR/prometheus),
emptied when gunicorn starts; a dead worker's gauges are dropped (prometheus-client's multiprocess mode).
"""

import os
import shutil
from pathlib import Path


def default_workers() -> int:
    return min(2 * len(os.sched_getaffinity(0)) + 1, 8)


wsgi_app = "atelier.config.wsgi:application"
bind = os.environ.get("ATELIER_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("ATELIER_WORKERS") or default_workers())
threads = int(os.environ.get("ATELIER_THREADS") or 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("ATELIER_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # a worker is renewed now and then: memory a library leaks does not pile up
max_requests_jitter = 200
accesslog = None  # the application logs each request itself, with its id and user (atelier.core.logs)
errorlog = "-"
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # heartbeats off a possibly slow disk
proc_name = "atelier"

if os.environ.get("ATELIER_METRICS", "0").strip().lower() in {"1", "true", "yes", "on"}:
    data_dir = Path(os.environ.get("ATELIER_DATA_DIR", Path.cwd() / "var")).resolve()
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(data_dir / "prometheus"))


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:  # the previous run's files would add dead workers' counts
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
