"""Fetching an address that someone else gave us, without reaching into our own network.

`fetch(url, ...)` is a GET for http and https addresses (webcal is https). Before any
connection the host name is resolved once, and every address it resolves to must be
public: not loopback, private, shared, link-local, multicast, reserved or unspecified,
judged for IPv6 addresses that carry an IPv4 one (mapped, 6to4, NAT64) by that IPv4
address. Host names in `allowed_hosts` skip that check (a partner's calendar server in
our own network). The connection then goes to the checked address itself, with the
name in the Host header and in TLS (SNI and the certificate check), so a second DNS
answer cannot move it elsewhere (no rebinding). Redirects are followed here, at most
five, each hop checked like the first. One deadline covers the whole fetch, however
slowly the server sends (looking up a name is bounded by the system resolver's own
timeout, and the deadline is checked after it), and the answer may be at most
`max_bytes` long; a compressed answer, which we do not ask for, is refused.

Messages say what was wrong in our words and quote nothing of the answer. An address
that is not public is refused before any connection, so they tell nothing about which
ports of a private network are open.

urllib3 (installed before as a part of requests) does the HTTP: it connects to a
given address while it speaks TLS to a name. No maintained package does the rest:
`advocate`, the requests wrapper made for this, was last released in 2020, and
`safehttpx` is async-only and asks a public DNS server instead of ours.
"""

import contextlib
import ipaddress
import socket
import ssl
import threading
import time
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

import urllib3
from django.utils.translation import gettext as _
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.util.ssl_match_hostname import CertificateError

MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
CONNECT_TIMEOUT = 10  # seconds at most for one address to take the connection
CHUNK = 64 * 1024
SCHEMES = {"http": "http", "https": "https", "webcal": "https"}
DEFAULT_PORTS = {"http": 80, "https": 443}
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: an IPv4 address in the last 32 bits


class FetchError(Exception):
    """The address could not be fetched; the message says why, in our words."""


def is_public(address):
    """Whether an IP address belongs to the public internet."""
    ip = ipaddress.ip_address(address.partition("%")[0])  # without an IPv6 zone index
    if ip.version == 6:
        if ip in NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        else:
            ip = ip.ipv4_mapped or ip.sixtofour or ip
    return ip.is_global and not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or getattr(ip, "is_site_local", False)
    )


def fetch(url, *, max_bytes, timeout, allowed_hosts=()):
    """The body of the answer to a GET of `url`; FetchError when it cannot be had safely."""
    deadline = time.monotonic() + timeout
    allowed = {host.lower() for host in allowed_hosts}
    for _hop in range(MAX_REDIRECTS + 1):
        url, target = _target(url)
        addresses = _resolve(target, allowed)
        with _exchange(target, addresses, deadline) as (response, watchdog):
            location = response.headers.get("Location")
            if response.status in REDIRECTS and location:
                url = urljoin(url, location.strip())
                continue
            if response.status != 200:
                raise FetchError(_("the server answered %(status)d") % {"status": response.status})
            return _body(response, watchdog, max_bytes)
    raise FetchError(
        _("the server redirected more than %(count)d times") % {"count": MAX_REDIRECTS}
    )


class Target(NamedTuple):
    scheme: str  # http or https
    host: str  # a name in ASCII (IDNA) or an IP address
    port: int
    path: str  # with the query

    @property
    def host_header(self):
        host = f"[{self.host}]" if ":" in self.host else self.host  # an IPv6 address
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def _target(url):
    """The URL with webcal spelled https, and where it points."""
    try:
        parts = urlsplit(url.strip())
        scheme = SCHEMES.get(parts.scheme.lower())
        if scheme is None:
            raise FetchError(_("only http and https addresses can be fetched"))
        parts = parts._replace(scheme=scheme)
        host = (parts.hostname or "").encode("idna").decode("ascii")
        port = parts.port or DEFAULT_PORTS[scheme]
    except (ValueError, UnicodeError) as error:
        raise FetchError(_("the address is not valid")) from error
    if not host:
        raise FetchError(_("the address is not valid"))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.geturl(), Target(scheme, host, port, path)


def _resolve(target, allowed):
    """The addresses of the target's host, once; all of them public unless allowed."""
    try:
        found = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(_("the name of the server cannot be resolved")) from error
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if target.host not in allowed and not all(map(is_public, addresses)):
        raise FetchError(_("the address is not public"))
    return addresses


def _remaining(deadline):
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(_("the server did not answer in time"))
    return left


@contextlib.contextmanager
def _exchange(target, addresses, deadline):
    """The head of the answer from the first of the (checked) addresses that takes the
    connection, and the watchdog of that connection; closed at the end."""
    for address in addresses:
        connection = _connection(target, address, _remaining(deadline))
        watchdog = _Watchdog(connection, _remaining(deadline))
        try:
            try:
                connection.connect()
            except (OSError, CertificateError, urllib3.exceptions.HTTPError) as error:
                if isinstance(
                    error, ssl.SSLError | CertificateError | urllib3.exceptions.SSLError
                ):
                    raise FetchError(
                        _("the server's certificate is not valid for its name")
                    ) from error
                continue  # the next address of the name, if any
            watchdog.sock = connection.sock  # the answer may take it over from the connection
            try:
                connection.request("GET", target.path, headers=_headers(target),
                                   preload_content=False, decode_content=False)  # fmt: skip
                response = connection.getresponse()
            except (OSError, ValueError, urllib3.exceptions.HTTPError) as error:
                if watchdog.fired or isinstance(error, TimeoutError):
                    raise FetchError(_("the server did not answer in time")) from error
                raise FetchError(_("the server did not answer with HTTP")) from error
            yield response, watchdog
            return
        finally:
            watchdog.cancel()
            connection.close()
    if time.monotonic() >= deadline:
        raise FetchError(_("the server did not answer in time"))
    raise FetchError(_("the server cannot be reached"))


def _headers(target):
    return {
        "Host": target.host_header,
        "User-Agent": "newsroom calendar import",
        "Accept": "text/calendar, */*;q=0.1",
        "Accept-Encoding": "identity",
    }


def _connection(target, address, seconds):
    """A connection to `address` that speaks to the target's host by name."""
    timeout = min(seconds, CONNECT_TIMEOUT)  # then there is time for a second address
    if target.scheme == "https":
        return HTTPSConnection(
            address,
            target.port,
            timeout=timeout,
            server_hostname=target.host,  # SNI
            assert_hostname=target.host,  # the certificate must be the name's
            cert_reqs="CERT_REQUIRED",
        )
    return HTTPConnection(address, target.port, timeout=timeout)


class _Watchdog:
    """Ends a connection at the deadline, however slowly the server sends (a socket's
    timeout counts from the last byte, so a byte a second would never reach it)."""

    def __init__(self, connection, seconds):
        self.fired = False
        self.connection, self.sock = connection, None
        self.timer = threading.Timer(seconds, self.fire)
        self.timer.daemon = True
        self.timer.start()

    def fire(self):
        self.fired = True
        sock = self.sock or self.connection.sock  # connected, or still connecting
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self):
        self.timer.cancel()


def _body(response, watchdog, max_bytes):
    too_large = _("the answer is larger than %(size)d MB") % {"size": max_bytes // 1024**2}
    try:
        if response.headers.get("Content-Encoding", "identity").lower() != "identity":
            raise FetchError(_("the server sent a compressed answer, which was not asked for"))
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise FetchError(too_large)
        chunks, size = [], 0
        while chunk := response.read1(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(too_large)
            chunks.append(chunk)
    except (OSError, urllib3.exceptions.HTTPError) as error:
        if watchdog.fired or isinstance(error, TimeoutError):
            raise FetchError(_("the server did not answer in time")) from error
        raise FetchError(_("the server's answer broke off")) from error
    if watchdog.fired:  # the connection was ended mid-answer: what came is not all
        raise FetchError(_("the server did not answer in time"))
    return b"".join(chunks)
