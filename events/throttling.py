"""Who a client is, and how often it may ask.

A client is known by its address: REMOTE_ADDR, or — behind `TRUSTED_PROXIES` proxies
(a load balancer, nginx) — the address the outermost of them saw, which it appended
to X-Forwarded-For. Django REST framework's throttles find it by their
`NUM_PROXIES` setting; django-axes, counting failed admin logins, asks
`client_address()`, which asks the throttle: one rule for both.

The throttles count in the cache alias `throttle`, which every worker shares (Redis,
or a folder on this server); counts in each worker's local memory would give a client
the rate once per worker.
"""

import ipaddress

from django.core.cache import caches
from rest_framework import throttling


class SharedCounts:
    @property
    def cache(self):
        return caches["throttle"]


class AnonRateThrottle(SharedCounts, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(SharedCounts, throttling.UserRateThrottle):
    pass


def client_address(request):
    """The client's IP address, as the API throttles see it (AXES_CLIENT_IP_CALLABLE).

    Anything but an address (X-Forwarded-For with fewer entries than `TRUSTED_PROXIES`
    promised) gives REMOTE_ADDR: axes keeps the address in an IP address column."""
    address = throttling.BaseThrottle().get_ident(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return request.META.get("REMOTE_ADDR")
