# One image for every Pengaduan process; docker-compose.yml picks the command.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY shared shared
COPY services services
COPY tools tools
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PENGADUAN_DATA_DIR=/app/var
COPY --from=build /wheels /wheels
# The installed package only (no source tree in the working directory to shadow it).
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
    && useradd --system --create-home --uid 10001 pengaduan \
    && mkdir -p /app/var && chown pengaduan /app/var
WORKDIR /app
USER pengaduan
EXPOSE 8001 8002 5555
CMD ["python", "-m", "shared.migrations"]
