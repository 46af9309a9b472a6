# One image for every Pengaduan process; docker-compose.yml picks the command.

# The project's own wheel, built from the source alone (no dependencies: those come below).
FROM python:3.11-slim-trixie AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY shared shared
COPY services services
COPY tools tools
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim-trixie
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PENGADUAN_DATA_DIR=/app/var
# Dependencies first, from pyproject.toml alone: an edit to the source reuses this layer, and
# only a change to pyproject.toml installs them again.
COPY pyproject.toml /tmp/pyproject.toml
RUN python -c "import tomllib; print(*tomllib.load(open('/tmp/pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/pyproject.toml /tmp/requirements.txt
# DejaVu Sans for the monthly report's PDF (services/workflow/reports/pdf_file.py): without it
# fpdf2 falls back to a core font that prints only Latin-1. The PostgreSQL client (pg_dump,
# pg_restore) for compose's backup service (python -m tools.backup): Debian trixie's, PostgreSQL
# 17, newer than compose's 16 (a pg_dump reads servers as old as itself, not newer): hence the
# base image's pinned release.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*
# /app/backups: the backup service's volume takes its owner from it.
RUN useradd --system --create-home --uid 10001 pengaduan \
    && mkdir -p /app/var /app/backups && chown pengaduan /app/var /app/backups
# Then the project itself: the installed package only (no source tree in the working directory
# to shadow it), its dependencies already in place.
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-deps /wheels/*.whl && rm -rf /wheels
WORKDIR /app
USER pengaduan
EXPOSE 8001 8002 5555
CMD ["python", "-m", "shared.database.migrations"]
