"""The dispatch benchmark from a checkout (same as `atelier bench dispatch …`):

    ATELIER_DEBUG=1 .venv/bin/python bench/bench_dispatch.py --solomon ../shared/data/solomon --seconds 30 \\
        [--only C101,R201] [--jobs 2] --field 40x400:25 --field 100x1000:100
"""

import sys

from benchsetup import django_for_bench  # bench/ is sys.path[0] when run as a script

if __name__ == "__main__":
    django_for_bench()
    from django.core.management import call_command

    call_command("bench", "dispatch", *sys.argv[1:])
