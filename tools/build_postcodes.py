"""Build src/atelier/core/data/postcodes.csv.gz from La Poste's base officielle des codes postaux.

Run by a developer when the source file changes (the product never reads ../shared):
    python tools/build_postcodes.py ../shared/data/geo/laposte_hexasmal.csv
Output columns: postcode;insee;commune;ligne5;lat;lon (one row per commune/postcode pair, sorted).
"""

import csv
import gzip
import io
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/atelier/core/data/postcodes.csv.gz"


def main(source: str) -> None:
    rows = set()
    with open(source, encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f, delimiter=";"):
            lat = lon = ""
            if rec["coordonnees_gps"].strip():
                lat, lon = (f"{float(x):.5f}" for x in rec["coordonnees_gps"].split(","))
            rows.add(
                (
                    rec["Code_postal"].zfill(5),
                    rec["Code_commune_INSEE"],
                    rec["Nom_commune"],
                    rec["Ligne_5"],
                    lat,
                    lon,
                )
            )
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(["postcode", "insee", "commune", "ligne5", "lat", "lon"])
    w.writerows(sorted(rows))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the file byte-identical between builds
    with gzip.GzipFile(OUT, "wb", mtime=0) as gz:
        gz.write(buf.getvalue().encode("utf-8"))
    print(f"{len(rows)} rows -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
