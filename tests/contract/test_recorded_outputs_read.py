"""anon-pi reads what the real netcage printed: its parsers, fed the recorded outputs.

The stand-in agrees with the recordings (test_netcage_contract.py); these tests close the loop on
anon-pi's side: the version line, the `images` table (arguments dropped, as netcage does), the
`ps --format json` listing and `ports --json` are read the way anon-pi needs them.
"""
import itertools
import re

import pytest
from transcripts import GENERATIONS, load

from anonpi_helpers.containers.ports_parse import Listener, parse_listeners
from anonpi_helpers.containers.ps_parse import parse_ps
from anonpi_helpers.core.identity import Identity, encode
from anonpi_helpers.core.image_store import parse_images_table
from anonpi_helpers.core.netcage_version import hole_flag, parse_version

BOX = Identity("default", "/srv/projects", "", "/projects/alpha")


def _record(gen: str, record_id: str) -> dict:
    return next(r for r in load(gen) if r["id"] == record_id)


def _concrete(text: str) -> str:
    """Recorded text with its placeholders made concrete again: a distinct hex id for each
    <ID64>/<ID12>, numbers for <TS>/<PID> (the README's advice for JSON)."""
    serial = itertools.count(1)
    text = re.sub(r"<ID(64|12)>", lambda m: f"{next(serial):0{int(m[1])}x}", text)
    return text.replace("<TS>", "0").replace("<PID>", "0")


@pytest.mark.parametrize("gen", GENERATIONS)
def test_the_version_line_picks_the_hole_flag(gen):
    out = _record(gen, "version/--version")["stdout"]
    assert parse_version(out) == tuple(int(p) for p in gen.split("."))
    assert hole_flag(out) == ("--allow-direct" if gen == "0.11.1" else "--allow")


@pytest.mark.parametrize("gen", GENERATIONS)
def test_the_images_table_is_read_whatever_images_was_asked(gen):
    for record_id in ("images/table", "images/--format-json", "images/-q", "images/filter"):
        rows = parse_images_table(_concrete(_record(gen, record_id)["stdout"]))
        assert [r.names for r in rows] == [("localhost/nct/busybox:latest",)], record_id
    final = parse_images_table(_concrete(_record(gen, "images/final")["stdout"]))
    names = {n for r in final for n in r.names}
    assert {"localhost/anon-pi/snap:latest", "localhost/anon-pi/built:latest",
            "localhost/nct/aux:latest"} <= names
    assert parse_images_table(_record(gen, "help/images")["stdout"]) == []


@pytest.mark.parametrize("gen", GENERATIONS)
def test_the_ps_listing_finds_the_running_jails_and_skips_sidecars(gen):
    """The recorded tools carry the key `a2V5`; with a real identity key in its place, the one
    running keyed tool is the jail anon-pi finds (sidecars, the keyless 1003 tool and the
    stopped 1001 box are not)."""
    listing = _concrete(_record(gen, "ps/anon-pi-launch-listing")["stdout"])
    assert parse_ps(listing) == []  # `a2V5` is no identity: nothing anon-pi would touch
    found = parse_ps(listing.replace('"a2V5"', f'"{encode(BOX)}"'))
    assert [(c.name, c.ident) for c in found] == [("netcage-run-1002-tool", BOX)]
    assert parse_ps(_record(gen, "ps/filter-nomatch")["stdout"]) == []


@pytest.mark.parametrize("gen", GENERATIONS)
def test_ports_json_is_read_with_its_scope(gen):
    listeners = parse_listeners(_record(gen, "ports/listeners-json")["stdout"])
    assert listeners == [Listener("127.0.0.1", 53, True), Listener("::", 3001, False),
                         Listener("127.0.0.1", 4001, True), Listener("0.0.0.0", 5001, False)]
    assert parse_listeners(_record(gen, "ports/none-json")["stdout"]) == []
