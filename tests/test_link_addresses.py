"""Which links the bot may open: the form of a URL and the class of every address, for any
input (hypothesis), checked against the standard library's own classification."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings, strategies as st

from bot.services.web.addresses import LinkError, one_link, parse_url, refusal

ipv4 = st.integers(min_value=0, max_value=2**32 - 1).map(ipaddress.IPv4Address)
ipv6 = st.integers(min_value=0, max_value=2**128 - 1).map(ipaddress.IPv6Address)


@given(ipv4)
def test_an_ipv4_address_is_refused_exactly_when_it_is_not_global_unicast(address):
    # Python counts multicast (224.0.0.0/4) as global; a page is never fetched from one
    assert (refusal(address) is None) == (address.is_global and not address.is_multicast)


@given(ipv4)
def test_an_ipv4_address_inside_ipv6_is_judged_by_the_ipv4_address(address):
    mapped = ipaddress.IPv6Address(f"::ffff:{address}")
    if refusal(address) is not None:
        assert refusal(mapped) is not None
    nat64 = ipaddress.IPv6Address(int(ipaddress.IPv6Address("64:ff9b::")) | int(address))
    if refusal(address) is not None:
        assert refusal(nat64) is not None


@given(ipv6)
def test_an_ipv6_address_that_is_not_global_is_refused(address):
    if not address.is_global:
        assert refusal(address) is not None


@pytest.mark.parametrize("address, why", [
    ("127.0.0.1", "loopback"), ("127.255.1.2", "loopback"), ("::1", "loopback"),
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"), ("fd00::1", "private"),
    ("169.254.169.254", "link_local"), ("fe80::1", "link_local"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("100.64.0.1", "reserved"), ("240.0.0.1", "reserved"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.1.1.1", "private"), ("2002:7f00:1::", "loopback"),
    ("64:ff9b::a9fe:a9fe", "link_local"),
])
def test_the_reason_a_known_address_is_refused(address, why):
    assert refusal(ipaddress.ip_address(address)) == why


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2a00:1450:4001:80b::200e"])
def test_public_addresses_pass(address):
    assert refusal(ipaddress.ip_address(address)) is None


@given(st.text(max_size=300))
@settings(max_examples=300)
def test_any_text_is_a_target_or_a_named_refusal(text):
    try:
        target = parse_url(text)
    except LinkError as exc:
        assert exc.key in {"link_bad_url", "link_scheme", "link_credentials"}
        return
    assert target.scheme in ("http", "https") and target.host and 0 < target.port < 65536


hosts = st.from_regex(r"[a-z][a-z0-9-]{0,20}(\.[a-z]{2,6}){1,2}", fullmatch=True)
paths = st.from_regex(r"(/[A-Za-z0-9._~%-]{0,12}){0,4}", fullmatch=True)


@given(st.sampled_from(["http", "https", "HTTP"]), hosts, st.one_of(st.none(), st.integers(1, 65535)), paths)
def test_a_well_formed_link_parses_to_its_host_and_port(scheme, host, port, path):
    url = f"{scheme}://{host}{f':{port}' if port else ''}{path}"
    target = parse_url(url)
    assert target.host == host and target.literal is None
    assert target.port == (port or (443 if scheme.lower() == "https" else 80))
    assert one_link(f"  {url} ") == url and one_link(f"<{url}>") == url
    assert one_link(f"see {url}") is None and one_link(f"{url} {url}") is None


@pytest.mark.parametrize("url, key", [
    ("ftp://example.org/file", "link_scheme"), ("file:///etc/passwd", "link_scheme"),
    ("javascript:alert(1)", "link_scheme"), ("http://user:pass@example.org/", "link_credentials"),
    ("http://exa mple.org/", "link_bad_url"), ("http:///path", "link_bad_url"), ("http://[::1/", "link_bad_url"),
    ("http://example.org:99999/", "link_bad_url"),
])
def test_links_the_bot_will_not_try(url, key):
    with pytest.raises(LinkError) as refused:
        parse_url(url)
    assert refused.value.key == key


def test_an_ip_address_host_is_kept_as_an_address():
    assert str(parse_url("http://[::ffff:127.0.0.1]:8080/x").literal) == "::ffff:7f00:1"
    assert str(parse_url("http://10.0.0.1/").literal) == "10.0.0.1"
