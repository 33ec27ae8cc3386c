# Read by gunicorn from the working directory (the repository root, /app in the image).
# Requests gunicorn itself refuses are answered with the desk's 400 page and headers.
from config.gunicorn_errors import install

install()
