"""The WSGI entry point gunicorn loads: the application, with the URLconf loaded and every
object loaded so far frozen out of the garbage collector's full passes."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import gc, sys
import recruitment.wsgi
import api.urls
print(type(recruitment.wsgi.application).__name__)
print("api.views.candidates" in sys.modules)
print(gc.get_freeze_count() > 100_000)
print(any(found is api.urls.urlpatterns for found in gc.get_objects()))
"""


def test_wsgi_module_loads_the_urlconf_and_freezes_what_is_loaded():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    assert (result.returncode, result.stdout.split(), result.stderr) == (
        0,
        ["WSGIHandler", "True", "True", "False"],  # the URLconf loaded, then frozen
        "",
    )
