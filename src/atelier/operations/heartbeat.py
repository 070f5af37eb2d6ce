"""A thread that writes a process's heartbeat every `every` seconds, on its own database connection."""

from __future__ import annotations

import logging
import threading

from django.db import DatabaseError, connections

from atelier.operations.services import heartbeat_beat

logger = logging.getLogger("atelier.operations")

BEAT_SECONDS = 30


class HeartbeatThread(threading.Thread):
    def __init__(self, name: str, every: float = BEAT_SECONDS):
        super().__init__(
            name=f"heartbeat-{name}", daemon=True
        )  # daemon: never keeps a stopping process alive
        self.process_name = name
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while True:  # beats once at start, then every `every` seconds until stopped
                try:
                    heartbeat_beat(self.process_name)
                except DatabaseError:  # the database is away for a moment: the next beat will tell
                    logger.warning("heartbeat %s : base de données indisponible", self.process_name)
                    connections.close_all()
                if self.stopped.wait(self.every):
                    return
        finally:
            connections.close_all()  # this thread's own connections (Django's are per thread)

    def stop(self) -> None:
        self.stopped.set()
