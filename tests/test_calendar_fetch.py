"""Importing a calendar by its address never reaches into our own network (issue 13, row 3).

A small HTTP server on 127.0.0.1 stands for an internal service: it must see no request
unless its name is allowed by CALENDAR_IMPORT_ALLOWED_HOSTS, and then only the ones the
import should make. No test sends anything beyond this machine's loopback."""

import http.server
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from events.ics_import import CalendarImportError, read_source, read_url
from events.models import Event, Place, Timeline
from tests.test_stress import REPORT

pytestmark = pytest.mark.usefixtures("english")

SECRET = b"SECRET-FIRST-LINE of an internal service\r\n"
CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Partner//DE\r\nBEGIN:VEVENT\r\n"
    b"UID:a@partner\r\nDTSTART;VALUE=DATE:20241101\r\nSUMMARY:Vom Server\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n"
)
MAX = 10 * 1024 * 1024


class Handler(http.server.BaseHTTPRequestHandler):
    routes = {}  # path -> function(handler), set by each test
    seen = []  # the paths requested

    def do_GET(self):
        self.seen.append(self.path)
        self.routes.get(self.path, answer(200, SECRET))(self)

    def log_message(self, *args):
        pass


def answer(status, body, **headers):
    def send(handler):
        handler.send_response(status)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    return send


@pytest.fixture
def server():
    """An HTTP server on 127.0.0.1: `server.url(path)`, `server.routes`, `server.seen`."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    Handler.routes, Handler.seen = {}, []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    port = httpd.server_address[1]
    httpd.port = port
    httpd.url = lambda path, host="127.0.0.1": f"http://{host}:{port}{path}"
    httpd.routes, httpd.seen = Handler.routes, Handler.seen
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def allow_localhost(settings):
    settings.CALENDAR_IMPORT_ALLOWED_HOSTS = ["localhost"]


def desk_import(client, timeline, **fields):
    return client.post(
        "/admin/events/timeline/",
        {"action": "import_calendar", "_selected_action": [timeline.pk], "apply": "1", **fields},
    )


def refusal(url):
    with pytest.raises(CalendarImportError) as refused:
        read_source(url)
    return str(refused.value)


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:{port}/calendar.ics",
        "http://localhost:{port}/calendar.ics",
        "webcal://127.0.0.1:{port}/calendar.ics",
        "https://127.0.0.1:{port}/calendar.ics",
        "http://[::1]:{port}/calendar.ics",
        "http://[::ffff:127.0.0.1]:{port}/calendar.ics",
        "http://2130706433:{port}/calendar.ics",  # 127.0.0.1 as one number
        "http://0.0.0.0:{port}/calendar.ics",
    ],
)
def test_a_loopback_address_is_refused_before_any_request(server, address):
    url = address.format(port=server.port)
    assert refusal(url) == f"cannot fetch {url}: the address is not public"
    assert server.seen == []


def test_an_open_and_a_closed_port_look_the_same(server):
    with http.server.HTTPServer(("127.0.0.1", 0), Handler) as closed:
        closed_port = closed.server_address[1]
    open_answer = refusal(server.url("/"))
    closed_answer = refusal(f"http://127.0.0.1:{closed_port}/")
    assert open_answer.split(": ", 1)[1] == closed_answer.split(": ", 1)[1]


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("::ffff:8.8.8.8", True),
        ("64:ff9b::808:808", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),  # shared address space (carrier-grade NAT)
        ("169.254.169.254", False),  # link-local: cloud metadata services
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("::", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("fec0::1", False),
        ("ff02::1", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:169.254.169.254", False),
        ("2002:a00:1::", False),  # 6to4 of 10.0.0.1
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
    ],
)
def test_public_addresses_are_told_from_the_rest(address, public):
    from events.safe_fetch import is_public

    assert is_public(address) is public


def test_the_desk_refuses_an_internal_address_without_quoting_it(editor_client, inbox, server):
    page = desk_import(editor_client, inbox, url=server.url("/admin")).content.decode()
    refused = (
        f"{server.url('/admin')} kann nicht abgerufen werden: die Adresse ist nicht öffentlich"
    )
    assert page.count(refused) == 1  # in the editor's language
    assert "SECRET" not in page
    assert server.seen == []
    assert not Event.objects.filter(timeline=inbox).exists()


def test_the_desk_takes_webcal_and_checks_it_like_https(editor_client, inbox, server):
    url = f"webcal://127.0.0.1:{server.port}/calendar.ics"
    page = desk_import(editor_client, inbox, url=url).content.decode()
    assert f"{url} kann nicht abgerufen werden: die Adresse ist nicht öffentlich" in page
    assert server.seen == []


@pytest.mark.parametrize("scheme", ["ftp", "file", "gopher"])
def test_only_http_and_https_are_fetched(server, scheme):
    url = f"{scheme}://127.0.0.1:{server.port}/calendar.ics"
    with pytest.raises(CalendarImportError, match="only http and https addresses can be fetched"):
        read_url(url)


def test_an_allowed_host_is_fetched_after_a_redirect(inbox, server, allow_localhost):
    server.routes["/moved"] = answer(302, b"", Location="/calendar.ics")
    server.routes["/calendar.ics"] = answer(200, CALENDAR, **{"Content-Type": "text/calendar"})
    assert read_source(server.url("/moved", host="localhost")) == CALENDAR
    assert server.seen == ["/moved", "/calendar.ics"]


def test_a_redirect_from_an_allowed_host_to_a_private_address_is_refused(server, allow_localhost):
    inside = server.url("/secret")  # 127.0.0.1: not the allowed name
    server.routes["/start"] = answer(302, b"", Location=inside)
    url = server.url("/start", host="localhost")
    assert refusal(url) == f"cannot fetch {url}: the address is not public"
    assert server.seen == ["/start"]


def test_endless_redirects_are_given_up(server, allow_localhost):
    for n in range(10):
        server.routes[f"/{n}"] = answer(301, b"", Location=f"/{n + 1}")
    url = server.url("/0", host="localhost")
    assert refusal(url) == f"cannot fetch {url}: the server redirected more than 5 times"
    assert server.seen == [f"/{n}" for n in range(6)]


def test_an_error_status_is_named_without_its_text(server, allow_localhost):
    server.routes["/gone"] = answer(404, SECRET)
    url = server.url("/gone", host="localhost")
    assert refusal(url) == f"cannot fetch {url}: the server answered 404"


def one_byte_a_second(handler):
    handler.send_response(200)
    handler.send_header("Content-Length", "15")
    handler.end_headers()
    for _ in range(15):
        try:
            handler.wfile.write(b"x")
            handler.wfile.flush()
        except OSError:
            return
        time.sleep(1)


def test_a_slow_server_meets_the_total_time_limit(server, allow_localhost, settings):
    settings.CALENDAR_IMPORT_TIMEOUT = 2
    server.routes["/slow"] = one_byte_a_second
    url = server.url("/slow", host="localhost")
    started = time.perf_counter()
    assert refusal(url) == f"cannot fetch {url}: the server did not answer in time"
    spent = time.perf_counter() - started
    REPORT.append(f"slow server (a byte a second), total limit 2 s: refused after {spent:.1f} s")


def endless(handler):
    """An answer without a length, longer than the limit."""
    handler.send_response(200)
    handler.end_headers()
    try:
        for _ in range(MAX // 65536 + 2):
            handler.wfile.write(b"x" * 65536)
    except OSError:
        pass


@pytest.mark.parametrize(
    "route", [answer(200, b"x" * (MAX + 1)), endless], ids=["with-length", "without-length"]
)
def test_an_oversized_answer_is_a_form_error(editor_client, inbox, server, settings, route):
    settings.CALENDAR_IMPORT_ALLOWED_HOSTS = ["localhost"]
    server.routes["/big.ics"] = route
    url = server.url("/big.ics", host="localhost")
    page = desk_import(editor_client, inbox, url=url).content.decode()
    assert f"{url} kann nicht abgerufen werden: die Antwort ist größer als 10 MB" in page
    assert not Event.objects.filter(timeline=inbox).exists()


def test_an_oversized_upload_is_a_form_error(editor_client, inbox):
    upload = SimpleUploadedFile("big.ics", CALENDAR + b" " * MAX, content_type="text/calendar")
    page = desk_import(editor_client, inbox, file=upload).content.decode()
    assert "die Datei ist größer als 10 MB" in page
    assert not Event.objects.filter(timeline=inbox).exists()


@pytest.mark.django_db(transaction=True)
def test_the_desk_keeps_no_writer_waiting_while_it_fetches(editor_client, server, allow_localhost):
    """While the calendar downloads, other writers are not kept waiting (SQLite's write
    lock is free: the import's own transaction opens only once everything is read)."""
    inbox = Timeline.objects.create(title="Eingang", slug="eingang")
    outcome = []

    def write_meanwhile(handler):
        try:
            connection.ensure_connection()
            if connection.vendor == "sqlite":
                connection.connection.execute("PRAGMA busy_timeout = 300")
            Place.objects.create(name="Nebenbei", slug="nebenbei")
            outcome.append("written")
        except Exception as error:  # the outcome is what the test reads
            outcome.append(f"not written: {error}")
        finally:
            connection.close()
        answer(200, CALENDAR)(handler)

    server.routes["/calendar.ics"] = write_meanwhile
    page = desk_import(editor_client, inbox, url=server.url("/calendar.ics", host="localhost"))
    assert page.status_code == 302
    assert outcome == ["written"]
    assert Event.objects.get(timeline=inbox).title == "Vom Server"


@pytest.fixture
def tls_server(server, tmp_path, monkeypatch):
    """The server behind TLS, with a certificate for "localhost" that this process trusts."""
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("needs the openssl command")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", key, "-out", cert, "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # read by each new TLS context
    return server


def test_https_goes_to_the_checked_address_by_name(tls_server, settings):
    """The connection goes to the address resolved and checked once; TLS (SNI and the
    certificate) and the Host header speak of the name."""

    def echo_host(handler):
        answer(200, f"Host: {handler.headers['Host']}".encode())(handler)

    tls_server.routes["/echo"] = echo_host
    settings.CALENDAR_IMPORT_ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    by_name = f"https://localhost:{tls_server.port}/echo"
    assert read_source(by_name) == f"Host: localhost:{tls_server.port}".encode()
    by_address = f"https://127.0.0.1:{tls_server.port}/echo"  # the certificate is not its
    assert refusal(by_address).endswith("the server's certificate is not valid for its name")
    assert tls_server.seen == ["/echo"]


def test_the_name_is_resolved_once_and_the_checked_address_is_used(server, settings, monkeypatch):
    """DNS rebinding: a second answer for the name (here 127.0.0.2, where nothing
    listens) must not be where the request goes; the Host header keeps the name."""
    import socket

    settings.CALENDAR_IMPORT_ALLOWED_HOSTS = ["calendar.test"]
    answers = iter(["127.0.0.1"])
    real = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host != "calendar.test":
            return real(host, port, *args, **kwargs)
        return real(next(answers, "127.0.0.2"), port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)

    def echo_host(handler):
        answer(200, f"Host: {handler.headers['Host']}".encode())(handler)

    server.routes["/echo"] = echo_host
    url = f"http://calendar.test:{server.port}/echo"
    assert read_url(url) == f"Host: calendar.test:{server.port}".encode()
