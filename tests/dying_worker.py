"""The site's WSGI application for gunicorn, with one addition for the fault tests: a request
carrying X-Test-Die-Before-Sending kills its worker (SIGKILL, as the OOM killer or a timeout
would) after the site has answered it and before the server has written a byte of the answer.
Only gunicorn loads it (stack.site.Gunicorn(..., app="tests.dying_worker")): importing it
anywhere else would start the site's scheduler there (sitecms/wsgi.py)."""

import os
import signal

from sitecms.wsgi import application as site


def application(environ, start_response):
    answer = site(environ, start_response)
    if "HTTP_X_TEST_DIE_BEFORE_SENDING" in environ:
        os.kill(os.getpid(), signal.SIGKILL)
    return answer
