"""Run service calls at the same instant from threads, each on its own database connection (race tests on
PostgreSQL, ARCHITECTURE.md habit 4)."""

import threading

from django.db import connections

from atelier.core.errors import AtelierError


def race(*calls):
    """Start every call together (a barrier); return (the calls that went through, the French messages of those
    refused). Any other exception fails the test: a thread must not die silently."""
    barrier = threading.Barrier(len(calls))
    lock = threading.Lock()
    done, refused, errors = [], [], []

    def worker(call):
        try:
            barrier.wait()
            call()
            with lock:
                done.append(call)
        except AtelierError as exc:
            with lock:
                refused.append(exc.message)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return done, refused
