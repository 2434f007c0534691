import os

from django.core.wsgi import get_wsgi_application

from abonent.core.runtime import heap_freeze

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "abonent.settings")
application = get_wsgi_application()
heap_freeze()  # each web worker imports this module once it is forked, and freezes what it loaded
