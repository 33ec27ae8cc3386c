import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from config.startup import require_secret_key  # noqa: E402  (needs settings loaded)

require_secret_key()
