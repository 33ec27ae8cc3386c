# The desk's image: one image for web (gunicorn), worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml requirements.lock build-constraints.txt README.md ./
# The locked versions, hash-checked, and nothing else; then the desk itself.
RUN PIP_CONSTRAINT=/app/build-constraints.txt pip install --no-cache-dir --require-hashes \
    --no-deps --requirement requirements.lock
COPY config ./config
COPY accounts ./accounts
COPY complaints ./complaints
COPY followups ./followups
COPY reports ./reports
RUN PIP_CONSTRAINT=/app/build-constraints.txt pip install --no-cache-dir --no-deps .
COPY . .
RUN DEBUG=true python manage.py compilemessages --ignore=.venv --verbosity=0 \
    && DEBUG=true python manage.py collectstatic --noinput --verbosity=0 \
    && mkdir -p /app/var/media/attachments \
    && useradd --system --home /app desk && chown -R desk /app/var
USER desk
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
