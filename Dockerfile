# Atelier in one image: `docker compose up` runs it with its worker and PostgreSQL (compose.yaml,
# docs/operations.md). Debian slim, Python 3.12, WeasyPrint's pango, pg_dump for `atelier backup`, non-root.
FROM python:3.12-slim-trixie

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ATELIER_DATA_DIR=/data \
    ATELIER_BIND=0.0.0.0:8000

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install . && rm -rf /app/src /app/build

RUN useradd --create-home --uid 10001 atelier && mkdir /data && chown atelier:atelier /data
USER atelier
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["python", "-m", "atelier.config.serve", "--only", "web"]
