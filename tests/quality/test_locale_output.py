"""Under a locale that is not UTF-8 (LANG=en_US, an ASCII or Latin-1 terminal) the real
launcher still prints every listing whole: a character the locale cannot carry is printed
escaped, a JSON document stays valid, and nothing ends as "unexpected error" or a traceback."""

import json
import subprocess
import sys

import pytest
from harness_paths import BIN, ROOT
from locale_support import legacy_locale


@pytest.fixture(scope="module")
def ascii_locale(tmp_path_factory):
    """An ASCII-only locale compiled for the test (tests/locale_support.py)."""
    return legacy_locale(tmp_path_factory.mktemp("locales"), "test.ascii")


def _run(cli, env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], env=cli.env(**env), cwd=cli.tmp,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=60,
                          check=False)


def test_an_image_ref_the_locale_cannot_carry_is_listed_escaped(cli, ascii_locale):
    cli.configure(image="localhost/p\u00ef:latest", machine="box")
    res = _run(cli, ascii_locale, "machine", "list")
    assert (res.returncode, res.stderr) == (0, b"")
    assert res.stdout == b"box\tp\\u00ef:latest\n"  # shown without localhost/
    res = _run(cli, ascii_locale, "machine", "list", "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)[0]["image"] == "p\u00ef:latest"


def test_a_proxy_with_such_a_character_still_gives_the_whole_doctor_report(cli, ascii_locale):
    cli.configure(proxy="socks5h://h\u00f6st:9050")
    res = _run(cli, ascii_locale, "doctor", "--json")
    assert b"unexpected error" not in res.stderr and b"Traceback" not in res.stderr
    details = [c.get("detail", "") for c in json.loads(res.stdout)["checks"]]
    assert any("h\u00f6st" in d for d in details)


def test_a_command_started_with_stdout_closed_ends_without_a_traceback(cli):
    for args in ("--version", "--help"):
        res = subprocess.run(f'exec "{BIN}" {args} >&-', shell=True, env=cli.env(),
                             cwd=cli.tmp, capture_output=True, timeout=60, check=False)
        assert b"Traceback" not in res.stderr, (args, res.stderr)


def test_under_a_utf8_locale_a_lone_surrogate_is_printed_escaped_not_as_its_raw_byte(cli):
    """UTF-8 mode writes a lone surrogate (a name read from undecodable bytes) back as the
    raw byte: 0x9b is a terminal's one-byte CSI. The streams anon-pi sets up escape it; the
    program's own output runs shown() first, this is what catches anything that did not."""
    script = ("import sys; sys.path[:0] = [sys.argv[1]]\n"
              "from anonpi_helpers import cli\n"
              "cli.write_in_the_terminals_encoding()\n"
              "print('a\\udc9bb')\n")
    for launch in (["-X", "utf8"], []):  # as the launchers start it; as a console script does
        res = subprocess.run([sys.executable, "-I", "-S", *launch, "-c", script, str(ROOT)],
                             env=cli.env(LANG="C.UTF-8", LC_ALL="C.UTF-8"), cwd=cli.tmp,
                             capture_output=True, timeout=60, check=False)
        assert (res.returncode, res.stderr) == (0, b""), launch
        assert res.stdout == b"a\\udc9bb\n", launch
