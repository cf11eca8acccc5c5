"""A local DynamoDB for development and tests: moto's server, one request at a time.

moto's TransactWriteItems rolls back a failed transaction by restoring a snapshot of the
table taken when it began, so a transaction that fails while another commits would undo the
other's writes. Real DynamoDB isolates transactions; serialising requests here gives the
same guarantee, which the race tests rely on.
"""

import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple

host, port = sys.argv[1], int(sys.argv[2])
backend = DomainDispatcherApplication(create_backend_app)
one_at_a_time = threading.Lock()


def app(environ, start_response):
    with one_at_a_time:
        return list(backend(environ, start_response))


run_simple(host, port, app, threaded=True, request_handler=MotoRequestHandler)
