"""DNS-over-TCP as the relay reads it: the names asked, the addresses answered, the REFUSED
it gives itself. Every byte comes from the jail or a resolver: nothing raises."""

import socket

from egress_support import answer
from hypothesis import given
from hypothesis import strategies as st

from anonpi_helpers.core import dns_wire

LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=20)
NAMES = st.lists(LABEL, min_size=1, max_size=5).map(".".join)


@given(NAMES, st.sampled_from([1, 28, 65]), st.integers(0, 0xFFFF))
def test_a_query_reads_back_as_its_name_and_type(name, qtype, ident):
    asked = dns_wire.questions(dns_wire.query(name, qtype, ident))
    assert asked == [(name, dns_wire.TYPE_NAMES[qtype])]


@given(NAMES, st.integers(0, 0xFFFF))
def test_refused_keeps_the_id_and_question_and_says_refused(name, ident):
    query = dns_wire.query(name, ident=ident)
    reply = dns_wire.refused(query)
    assert reply[:2] == ident.to_bytes(2, "big")
    assert reply[2] & 0x80 and reply[3] & 0x0F == dns_wire.REFUSED
    assert dns_wire.questions(reply) == [(name, "A")]
    assert dns_wire.answer_addresses(reply) == []


def test_an_answer_gives_its_addresses_through_a_compressed_name():
    message = answer(dns_wire.query("github.com"), "140.82.121.4")
    assert dns_wire.answer_addresses(message) == ["140.82.121.4"]
    aaaa = (message[:-16] + b"\xc0\x0c\x00\x1c\x00\x01\x00\x00\x00\x3c\x00\x10"
            + socket.inet_pton(socket.AF_INET6, "2001:db8::1"))
    assert dns_wire.answer_addresses(aaaa) == ["2001:db8::1"]


def test_frames_split_a_stream_at_its_length_prefixes():
    one, two = dns_wire.query("a.example"), dns_wire.query("b.example")
    stream = dns_wire.frame(one) + dns_wire.frame(two)
    assert dns_wire.frames(stream[:-3]) == ([one], stream[len(one) + 2:-3])
    assert dns_wire.frames(stream) == ([one, two], b"")


def test_a_pointer_loop_is_malformed_not_endless():
    looped = b"\x00\x01\x01\x00\x00\x01" + bytes(6) + b"\xc0\x0c\x00\x01\x00\x01"
    assert dns_wire.questions(looped) is None


@given(st.binary(max_size=300))
def test_any_bytes_are_read_or_refused_never_an_exception(raw):
    dns_wire.questions(raw)
    dns_wire.answer_addresses(raw)
    reply = dns_wire.refused(raw)
    assert reply[3] & 0x0F == dns_wire.REFUSED
