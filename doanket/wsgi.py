import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doanket.settings")
application = get_wsgi_application()
# Import every view now, as the worker starts, rather than in the first request it serves.
get_resolver().url_patterns  # noqa: B018 - loading the URLconf is the point
