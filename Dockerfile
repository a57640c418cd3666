# One image for every process of the platform (compose.yaml): the app servers (gunicorn), the Celery
# worker and beat, and the one-shot migrate/collectstatic job. Configured entirely by the environment
# (config/settings/production.py).

# The H5P player comes from npm (package.json); the Python image only needs its files.
FROM node:22-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no install scripts from third-party packages, as in the Makefile.
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# WeasyPrint (certificate PDFs) needs Pango and HarfBuzz; fonts for the Norwegian letters.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
COPY --from=frontend /app/node_modules ./node_modules
# Installed in place: the settings find the site-wide templates, static files and translations (site/)
# next to the packages, in this folder.
RUN pip install -e . \
    && useradd --system --home-dir /app app \
    && mkdir -p /app/staticfiles \
    && chown app /app/staticfiles
USER app

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
