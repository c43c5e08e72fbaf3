"""A machine or project named with a letter beyond ASCII (`café`, made in a UTF-8 session)
under a locale that is not UTF-8 (an ASCII or Latin-1 terminal): every listing shows it
(escaped where the terminal has no byte for it), naming it launches it, the menu offers and
launches it, a TAB offers it; it is never dropped, and a UTF-8 name or path is never refused
as "not valid UTF-8". The real launcher runs as its own process under locales the test
compiles itself (tests/locale_support.py)."""

import json
import subprocess
import sys

import pytest
from completions_support import bash_candidates
from harness_paths import BIN
from locale_support import CHARSETS, legacy_locale
from menu_support import menu

from anonpi_helpers.core.output_encoding import named_utf8, output_encoding

LOCALES = list(CHARSETS)
# how each terminal shows `café`: stdout's escape, stderr's escape, or its own byte
LISTED = {"test.ascii": b"caf\\u00e9", "test.latin1": b"caf\xe9"}
ROW = {"test.ascii": "caf\\xe9", "test.latin1": "caf\u00e9"}
CODEC = {"test.ascii": "ascii", "test.latin1": "latin-1"}
CAFE = "caf\u00e9"


@pytest.fixture(scope="module")
def locales(tmp_path_factory):
    folder = tmp_path_factory.mktemp("locales")
    return {name: legacy_locale(folder, name) for name in LOCALES}


def _run(cli, locale_env: dict, *args) -> subprocess.CompletedProcess:
    return _run_with(cli, cli.env(**locale_env), *args)


def _run_with(cli, env: dict, *args, command=(str(BIN),)) -> subprocess.CompletedProcess:
    return subprocess.run([*command, *args], env=env, cwd=cli.tmp, capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=60, check=False)


def _workdir(cli, locale: str) -> bytes:
    """The `-w` folder of the one jail launched, as the bytes netcage got (the stand-in
    decodes its argv with the same locale: encoded back, it gives the bytes)."""
    [argv] = cli.run_calls()
    return argv[argv.index("-w") + 1].encode(CODEC[locale], "surrogateescape")


@pytest.mark.parametrize("locale", LOCALES)
def test_machine_list_shows_a_machine_named_with_a_non_ascii_letter(cli, locales, locale):
    cli.configure()
    cli.configure(machine=CAFE)
    res = _run(cli, locales[locale], "machine", "list")
    assert (res.returncode, res.stderr) == (0, b"")
    assert res.stdout.splitlines() == [LISTED[locale] + b"\tanon-pi/pi:latest",
                                       b"default\tanon-pi/pi:latest"]
    res = _run(cli, locales[locale], "machine", "list", "--json")
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout.decode(CODEC[locale]))
    assert [r["name"] for r in rows] == [CAFE, "default"]


@pytest.mark.parametrize("locale", LOCALES)
def test_naming_such_a_project_and_machine_launches_them(cli, locales, locale):
    """The name as a UTF-8 session (or a TAB, which reads the folder) puts it on the
    command line: its own bytes."""
    cli.configure(machine=CAFE)
    (cli.ws / "projects" / CAFE).mkdir(parents=True)
    res = _run(cli, locales[locale], "-m", CAFE, CAFE, "-p", "hi")
    assert res.returncode == 0, res.stderr
    assert b"not valid UTF-8" not in res.stderr and b"invalid" not in res.stderr
    assert _workdir(cli, locale) == "/projects/caf\u00e9".encode()


@pytest.mark.parametrize("locale", LOCALES)
def test_the_menu_offers_such_a_project_and_launches_it(cli, locales, locale):
    cli.configure()
    (cli.ws / "projects" / CAFE).mkdir(parents=True)
    label, _out, code = menu(cli, keys="\r", encoding="latin-1", **locales[locale])
    assert (label, code) == (f"{ROW[locale]}  (no conversations yet)", 0)
    assert _workdir(cli, locale) == "/projects/caf\u00e9".encode()


@pytest.mark.parametrize("locale", LOCALES)
def test_a_tab_in_such_a_session_offers_such_a_project(cli, locales, locale):
    """`eval "$(anon-pi completions bash)"` in the same session: the script arrives as
    installed, so its name check still knows `é`."""
    cli.configure()
    (cli.ws / "projects" / CAFE).mkdir(parents=True)
    res = _run(cli, locales[locale], "completions", "bash")
    assert res.returncode == 0, res.stderr
    script = cli.tmp / "from-anon-pi.bash"
    script.write_bytes(res.stdout)
    offered = bash_candidates("anon-pi ca", cli.env(**locales[locale]), cli.tmp,
                              script=script)
    assert [_inserted(word) for word in offered] == [CAFE]


def _inserted(word: str) -> str:
    """The name bash inserts for a candidate: as it is, or undone from the `$'caf\\303\\251'`
    quoting bash gives bytes its locale does not call printable."""
    if not word.startswith("$'"):
        return word
    return word[2:-1].encode("ascii").decode("unicode_escape").encode("latin-1").decode()


def test_a_home_and_workspace_named_in_utf8_are_not_refused(cli, locales):
    """Folders a UTF-8 session made hold the home and the workspace: read, not refused as
    "not valid UTF-8"; first the default workspace under HOME, then one ANON_PI_HOME names."""
    cli.configure()
    home = cli.tmp / "h\u00f6me"
    home.mkdir()
    cli.ws.rename(home / ".anon-pi")
    env = {**cli.env(**locales["test.ascii"]), "HOME": str(home)}
    del env["ANON_PI_HOME"]
    for named in (False, True):
        if named:
            env["ANON_PI_HOME"] = str(home / ".anon-pi")
        res = _run_with(cli, env, "machine", "list")
        assert (res.returncode, res.stderr) == (0, b"")
        assert res.stdout == b"default\tanon-pi/pi:latest\n"


def test_output_takes_the_locales_encoding_but_c_and_posix_keep_utf8():
    """C and POSIX are most often a UTF-8 terminal whose locale was never set: Python's own
    rule, which anon-pi keeps."""
    cases = {("C", "ANSI_X3.4-1968"): None, ("POSIX", "ANSI_X3.4-1968"): None,
             ("C.UTF-8", "UTF-8"): None, ("en_US.utf8", "utf8"): None,
             ("en_US.ISO-8859-1", "ISO-8859-1"): "iso8859-1",
             ("en_US.ascii", "ANSI_X3.4-1968"): "ascii", ("ru_RU.KOI8-R", "KOI8-R"): "koi8-r",
             ("xx_XX.odd", "NO-SUCH-CODESET"): None, ("xx_XX", ""): None}
    assert {key: output_encoding(*key) for key in cases} == cases


def test_only_a_locale_the_environment_does_not_settle_is_asked_of_the_c_library():
    """LC_ALL wins over LC_CTYPE over LANG, an empty one counts as unset; a name without a
    codeset (`en_US`, often Latin-1) or with another one is asked."""
    cases = {(): True, (("LANG", "C"),): True, (("LANG", "POSIX"),): True,
             (("LANG", "C.UTF-8"),): True, (("LANG", "en_US.utf8"),): True,
             (("LANG", "de_DE.UTF-8@euro"),): True, (("LANG", "en_US"),): False,
             (("LANG", "en_US.ISO-8859-1"),): False, (("LANG", "test.ascii"),): False,
             (("LC_ALL", "C.UTF-8"), ("LANG", "en_US.ISO-8859-1")): True,
             (("LC_ALL", ""), ("LC_CTYPE", "ru_RU.KOI8-R"), ("LANG", "C.UTF-8")): False,
             (("LC_CTYPE", "C.UTF-8"), ("LANG", "en_US")): True}
    assert {key: named_utf8(dict(key)) for key in cases} == cases


def test_the_c_locale_prints_such_a_name_as_utf8(cli):
    cli.configure(machine=CAFE)
    res = _run(cli, {"LC_ALL": "C", "LANG": "C"}, "machine", "list")
    assert (res.returncode, res.stderr) == (0, b"")
    assert res.stdout == "caf\u00e9\tanon-pi/pi:latest\n".encode()


def test_started_without_the_launcher_it_lists_such_a_name_too(cli, locales):
    """As uv's or pipx's console script starts it (no `-X utf8`): the same listing."""
    cli.configure(machine=CAFE)
    script = "from anonpi_helpers.cli import entry; entry()"
    res = _run_with(cli, cli.env(**locales["test.latin1"]), "machine", "list",
                    command=[sys.executable, "-c", script])
    assert (res.returncode, res.stderr) == (0, b"")
    assert res.stdout == b"caf\xe9\tanon-pi/pi:latest\n"
