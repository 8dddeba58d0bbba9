"""Which links the bot may open: the URL's form, and every address its host resolves to.

The bot fetches pages that editors name, so a link must never make it reach the machine it
runs on or the network behind it: loopback, private, link-local, multicast, reserved and
unspecified addresses are refused before any connection is made (`FETCH_ALLOW_PRIVATE` lifts
this for a test server on 127.0.0.1, never in production). An IPv6 address that carries an
IPv4 one (`::ffff:127.0.0.1`, 6to4, NAT64) is judged by the IPv4 address inside it too.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from urllib.parse import SplitResult, urlsplit

MAX_URL_LENGTH = 2_048
SCHEMES = ("http", "https")
# "a message that is one link": optional <>, nothing else in it
_ONE_LINK = re.compile(r"\s*<?(https?://\S+?)>?\s*", re.IGNORECASE)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class LinkError(Exception):
    """A link the bot will not open, or could not read: `key` names the interface text,
    `values` fill it in; `transient` when trying again later may work (a timeout, a 503)."""

    def __init__(self, key: str, *, transient: bool = False, **values: object) -> None:
        super().__init__(f"{key}: {values}" if values else key)
        self.key = key
        self.values = values
        self.transient = transient

    def __reduce__(self):  # raised in the reading process, it crosses back as a pickle
        return _link_error, (self.key, self.transient, self.values)


def _link_error(key: str, transient: bool, values: dict) -> LinkError:
    return LinkError(key, transient=transient, **values)


def one_link(text: str | None) -> str | None:
    """The URL when the whole message is one http(s) link, else None."""
    if not text or len(text) > MAX_URL_LENGTH + 4:
        return None
    found = _ONE_LINK.fullmatch(text)
    return found.group(1) if found else None


@dataclass(frozen=True)
class Target:
    """A URL the bot may try: its scheme, host (lower case, IDNA-encoded) and port."""

    url: str
    scheme: str
    host: str
    port: int
    literal: Address | None = field(default=None)  # when the host is an IP address


def parse_url(url: str) -> Target:
    """The URL's target, or LinkError("link_bad_url" / "link_scheme" / …) naming the problem."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
        raise LinkError("link_bad_url")
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise LinkError("link_bad_url")
    try:
        parts: SplitResult = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError:
        raise LinkError("link_bad_url") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise LinkError("link_scheme", scheme=scheme or "—")
    if not host:
        raise LinkError("link_bad_url")
    if parts.username is not None or parts.password is not None:
        raise LinkError("link_credentials")
    literal = ip_literal(host)
    if literal is None:
        try:
            host = host.rstrip(".").encode("idna").decode("ascii").lower()
        except UnicodeError:
            raise LinkError("link_bad_url") from None
        if not host or not re.fullmatch(r"[a-z0-9.-]+", host) or ".." in host:
            raise LinkError("link_bad_url")
    return Target(url, scheme, host, port or (443 if scheme == "https" else 80), literal)


def ip_literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: Address) -> str | None:
    """Why the bot must not connect to this address ("loopback", "private", "link_local",
    "multicast", "reserved", "unspecified"), or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            why = refusal(inner)
            if why:
                return why
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link_local"
    if address.is_multicast:
        return "multicast"
    if address.is_reserved:
        return "reserved"
    if address.is_private:
        return "private"
    if not address.is_global:
        return "reserved"  # shared (100.64/10), documentation, benchmarking and the like
    return None


def check_address(address: Address, host: str) -> None:
    why = refusal(address)
    if why:
        raise LinkError("link_private", host=host, address=str(address), why=why)
