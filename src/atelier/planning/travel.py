"""Travel distances and times between points, behind one small interface.

`CrowFliesMatrix` (the default) needs no network: great-circle distance × a road factor, at an average speed.
A routing engine (OSRM, Valhalla) can replace it: write a class with the same `matrix(points)` method and name
it in the setting ATELIER_PLANNING_TRAVEL (dotted path); its options come from ATELIER_PLANNING_TRAVEL_OPTIONS.
"""

from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string

EARTH_RADIUS_M = 6_371_000


@dataclass(frozen=True)
class CrowFliesMatrix:
    """Distance = great circle × road_factor; time = distance / average speed (rounded up to the second)."""

    road_factor: float = 1.35
    speed_kmh: float = 28.0

    def matrix(self, points: list[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
        """points: (latitude, longitude) in degrees; returns (metres, seconds) as integer square matrices."""
        if not points:
            empty = np.zeros((0, 0), dtype=np.int64)
            return empty, empty
        lat = np.radians(np.array([p[0] for p in points], dtype=float))
        lon = np.radians(np.array([p[1] for p in points], dtype=float))
        dlat = lat[:, None] - lat[None, :]
        dlon = lon[:, None] - lon[None, :]
        a = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
        metres = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0, 1))) * self.road_factor
        seconds = np.ceil(metres / (self.speed_kmh / 3.6))
        return np.rint(metres).astype(np.int64), seconds.astype(np.int64)


def default_matrix():
    """The travel matrix the app uses, as configured (CrowFliesMatrix unless a routing engine is set)."""
    path = getattr(settings, "ATELIER_PLANNING_TRAVEL", "atelier.planning.travel.CrowFliesMatrix")
    options = getattr(settings, "ATELIER_PLANNING_TRAVEL_OPTIONS", {})
    return import_string(path)(**options)
