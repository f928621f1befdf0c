"""WSGI entry point for gunicorn: `gunicorn recruitment.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruitment.settings")
application = get_wsgi_application()
