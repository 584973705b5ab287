"""Which ``Host`` headers the dev server answers: a guard against DNS rebinding.

A web page the author visits can make its own domain resolve to 127.0.0.1
and then read the dev server as if it were its own site: drafts and
embargoed stories included (webpack-dev-server's CVE-2018-14732, Vite's
CVE-2025-24010). Such a request carries the attacker's name in ``Host``, so
the server answers only names of where it listens: ``localhost`` (and its
subdomains, which resolvers keep on this machine), loopback addresses, the
``--bind`` address (any IP address when that is ``0.0.0.0`` or ``::``: no DNS
answer can put an address in ``Host``), and the names given with
``--allow-host``. No CORS header is ever sent, so no other origin may read
a response either.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable


def host_name(header: str) -> str:
    """The name in a ``Host`` header, without its port, lower case: ``[::1]:8000`` → ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    name, _, _port = header.partition(":") if header.count(":") == 1 else (header, "", "")
    return name.rstrip(".")


ANY_ADDRESS = "*"  # in ``allowed_names``: every IP address (bound to all of them)


def allowed_names(bind: str, extra: Iterable[str]) -> frozenset[str]:
    """The names given with ``--bind`` and ``--allow-host``, as ``host_allowed`` compares them."""
    names = {host_name(name) for name in (bind, *extra) if name.strip()}
    addresses = [_address(name) for name in names]
    if any(address is not None and address.is_unspecified for address in addresses):
        names.add(ANY_ADDRESS)
    return frozenset(names)


def _address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def host_allowed(header: str | None, allowed: frozenset[str]) -> bool:
    if not header:
        return False  # HTTP/1.1 requires it; a request without one is no browser's
    name = host_name(header)
    if name == "localhost" or name.endswith(".localhost") or name in allowed:
        return True
    address = _address(name)
    return address is not None and (address.is_loopback or ANY_ADDRESS in allowed)
