"""DNS messages as they pass through the egress relay (RFC 1035, over TCP): read, never trusted.

In a real jail every name lookup leaves as DNS-over-TCP through the proxy: each message is a
2-byte length and then the message. The relay reads the questions the jail asks (to log them,
and under an allow-list to answer a name off the list itself, as REFUSED) and the addresses an
answer gives for an allowed name (so a connection to that address may follow). Every byte
here comes from the jail or from a resolver: a malformed message is None, never an exception.
Pure.
"""

import ipaddress

TYPE_NAMES = {1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX", 16: "TXT",
              28: "AAAA", 33: "SRV", 64: "SVCB", 65: "HTTPS", 255: "ANY"}
A, AAAA = 1, 28
REFUSED = 5
MAX_POINTERS = 32  # a compressed name following more pointers than this is a loop


def frames(buffer: bytes) -> tuple[list[bytes], bytes]:
    """The complete length-prefixed messages at the start of `buffer`, and what is left."""
    out = []
    while len(buffer) >= 2:
        size = int.from_bytes(buffer[:2], "big")
        if len(buffer) < 2 + size:
            break
        out.append(buffer[2:2 + size])
        buffer = buffer[2 + size:]
    return out, buffer


def frame(message: bytes) -> bytes:
    return len(message).to_bytes(2, "big") + message


def _name(msg: bytes, at: int) -> tuple[str, int] | None:
    """(the name at `at`, lower-case, dot-separated; the offset after it) or None."""
    labels, end, hops = [], None, 0
    while True:
        if at >= len(msg):
            return None
        size = msg[at]
        if size & 0xC0 == 0xC0:  # a pointer to a name earlier in the message
            if at + 1 >= len(msg) or (hops := hops + 1) > MAX_POINTERS:
                return None
            end = at + 2 if end is None else end
            at = ((size & 0x3F) << 8) | msg[at + 1]
            continue
        if size & 0xC0:
            return None
        if size == 0:
            text = ".".join(labels)
            return (text if len(text) <= 253 else None), (at + 1 if end is None else end)
        label = msg[at + 1:at + 1 + size]
        if len(label) < size:
            return None
        labels.append(label.decode("ascii", "backslashreplace").lower())
        at += 1 + size


def _counts(msg: bytes) -> tuple[int, int] | None:
    if len(msg) < 12:
        return None
    return int.from_bytes(msg[4:6], "big"), int.from_bytes(msg[6:8], "big")


def questions(msg: bytes) -> list[tuple[str, str]] | None:
    """[(name, type)] a message asks (`("example.org", "A")`), or None when malformed."""
    counts = _counts(msg)
    if counts is None:
        return None
    out, at = [], 12
    for _ in range(counts[0]):
        found = _name(msg, at)
        if found is None or found[1] + 4 > len(msg):
            return None
        name, at = found
        qtype = int.from_bytes(msg[at:at + 2], "big")
        out.append((name, TYPE_NAMES.get(qtype, str(qtype))))
        at += 4
    return out


def answer_addresses(msg: bytes) -> list[str]:
    """The IPv4/IPv6 addresses in an answer's A and AAAA records (CNAME chains included: the
    addresses belong to the names asked); [] for a malformed message."""
    counts = _counts(msg)
    if counts is None:
        return []
    at = 12
    for _ in range(counts[0]):
        found = _name(msg, at)
        if found is None:
            return []
        at = found[1] + 4
    out = []
    for _ in range(counts[1]):
        found = _name(msg, at)
        if found is None or found[1] + 10 > len(msg):
            return out
        at = found[1]
        rtype = int.from_bytes(msg[at:at + 2], "big")
        size = int.from_bytes(msg[at + 8:at + 10], "big")
        data = msg[at + 10:at + 10 + size]
        if len(data) < size:
            return out
        if rtype == A and size == 4:
            out.append(str(ipaddress.IPv4Address(data)))
        elif rtype == AAAA and size == 16:
            out.append(str(ipaddress.IPv6Address(data)))
        at += 10 + size
    return out


def refused(query: bytes) -> bytes:
    """The answer REFUSED to `query` (its id and question kept, no records), as the relay
    gives it itself for a name off the allow-list: the resolver never hears the name."""
    counts = _counts(query)
    if counts is None:
        return (query[:2] if len(query) >= 2 else b"\0\0") + b"\x81\x05" + bytes(8)
    end = 12
    for _ in range(counts[0]):
        found = _name(query, end)
        if found is None:
            return query[:2] + b"\x81\x05" + bytes(8)
        end = found[1] + 4
    flags = bytes([0x80 | (query[2] & 0x79), 0x80 | REFUSED])  # QR, opcode and RD kept, RA
    return query[:2] + flags + query[4:6] + bytes(6) + query[12:end]


def query(name: str, qtype: int = A, ident: int = 0) -> bytes:
    """A standard query for `name` (tests and the relay's own probes build one with this)."""
    wire = b"".join(bytes([len(part)]) + part.encode("ascii") for part in name.split(".")
                    if part) + b"\0"
    return (ident.to_bytes(2, "big") + b"\x01\x00\x00\x01" + bytes(6) + wire
            + qtype.to_bytes(2, "big") + b"\x00\x01")
