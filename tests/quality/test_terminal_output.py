"""Output people expect: tables, split --dry-run and colour on a terminal only;
piped output stays what scripts parse; NO_COLOR always wins. The pty side uses pexpect."""

import json
import shlex

import pytest
from doctor_support import Responder
from menu_support import finish, spawn

RED, GREEN, RESET = "\x1b[1;31m", "\x1b[32m", "\x1b[0m"


def _pty(cli, *args, **extra) -> tuple[str, int]:
    out, code = finish(spawn(cli, *args, **extra))
    return out.replace("\r\n", "\n"), code


def _machines(cli):
    cli.configure(machine="default")
    cli.configure(machine="a-much-longer-name", image="registry.example/x/y:2")
    cli.write_json(cli.ws / "machines" / "bare" / "machine.json", {})
    (cli.ws / "machines" / "broken").mkdir()
    (cli.ws / "machines" / "broken" / "machine.json").write_text("{nope")


def test_machine_list_is_an_aligned_table_on_a_terminal(cli):
    _machines(cli)
    out, code = _pty(cli, "machine", "list")
    assert code == 0
    assert out.splitlines() == [
        "MACHINE             IMAGE",
        "a-much-longer-name  registry.example/x/y:2",
        "bare                (no image)",
        "broken              (invalid machine.json)",
        "default             anon-pi/pi:latest"]  # refs shown without localhost/


def test_machine_list_piped_stays_tab_separated_and_json_is_one_document(cli):
    _machines(cli)
    res = cli.run("machine", "list")
    assert res.stdout == ("a-much-longer-name\tregistry.example/x/y:2\nbare\t(no image)\n"
                          "broken\t(invalid machine.json)\ndefault\tanon-pi/pi:latest\n")
    res = cli.run("machine", "list", "--json")
    assert res.returncode == 0 and res.stderr == ""
    assert json.loads(res.stdout) == [
        {"name": "a-much-longer-name", "image": "registry.example/x/y:2", "valid": True},
        {"name": "bare", "image": None, "valid": True},
        {"name": "broken", "image": None, "valid": False},
        {"name": "default", "image": "anon-pi/pi:latest", "valid": True}]
    out, _ = _pty(cli, "machine", "list", "--json")  # a terminal changes nothing for JSON
    assert json.loads(out) == json.loads(res.stdout)


def test_machine_list_json_with_no_machines_is_an_empty_list(cli):
    res = cli.run("machine", "list", "--json")
    assert (res.returncode, res.stdout, res.stderr) == (0, "[]\n", "")
    assert not cli.ws.exists()


def test_dry_run_splits_over_lines_on_a_terminal_and_is_one_line_piped(cli):
    cli.configure()
    piped = cli.run("--dry-run", "recon", "-p", "hi there")
    assert piped.returncode == 0 and piped.stdout.count("\n") == 1
    argv = shlex.split(piped.stdout)
    out, code = _pty(cli, "--dry-run", "recon", "-p", "hi there")
    assert code == 0
    out, _, relay = out.rstrip("\r\n").rpartition("\n")  # stderr's line on the web
    assert relay.startswith("anon-pi: netcage's proxy is anon-pi's relay on 127.0.0.1")
    note, *lines = out.splitlines()  # the note is stderr's, on the same terminal
    assert note == f'anon-pi: would create project "recon" at {cli.ws}/projects/recon'
    assert lines[0] == "netcage run \\"
    assert lines[1].startswith("  --label anon-pi.key=") and lines[2] == "  --rm \\"
    assert "  -w /projects/recon \\" in lines
    assert lines[-1] == "  pi -p 'hi there'"
    assert all(line.endswith(" \\") for line in lines[:-1])
    assert shlex.split("\n".join(lines).replace(" \\\n", " ")) == argv  # pasted back: the same
    assert not (cli.ws / "projects").exists()


def test_errors_are_red_on_a_terminal_only_and_never_with_no_color(cli):
    out, code = _pty(cli, "machnie", NO_COLOR="")
    assert code == 2 and out.startswith(f'{RED}anon-pi:{RESET} no verb "machnie"')
    out, _ = _pty(cli, "machnie")  # NO_COLOR=1 (the harness default)
    assert out.startswith('anon-pi: no verb "machnie"') and "\x1b[" not in out
    res = cli.run("machnie", NO_COLOR="")  # piped: plain
    assert res.stderr.startswith('anon-pi: no verb "machnie"')
    out, _ = _pty(cli, "machnie", NO_COLOR="", TERM="dumb")
    assert "\x1b[" not in out


@pytest.fixture
def doctor_cli(cli):
    """A workspace doctor finds wanting: a FAIL (no proxy), an ok (netcage) and the rest.
    The model doctor dials is a loopback listener of the test's own."""
    model = Responder(None)
    cli.configure(proxy=None, llm=f"127.0.0.1:{model.port}")
    yield cli
    model.close()


def test_doctor_status_words_coloured_on_a_terminal(doctor_cli):
    out, code = _pty(doctor_cli, "doctor", NO_COLOR="")
    assert code == 1
    assert f"{GREEN}ok{RESET}   netcage:" in out
    assert f"{RED}FAIL{RESET} proxy:" in out
    plain, _ = _pty(doctor_cli, "doctor")
    assert "\x1b[" not in plain and "FAIL proxy:" in plain
    res = doctor_cli.run("doctor", NO_COLOR="")
    assert "\x1b[" not in res.stdout and "FAIL proxy:" in res.stdout


def test_doctor_json_is_one_document_with_stable_keys(doctor_cli):
    res = doctor_cli.run("doctor", "--json")
    assert res.returncode == 1 and res.stderr == ""
    doc = json.loads(res.stdout)
    assert set(doc) == {"ok", "checks"} and doc["ok"] is False
    assert all(set(c) == {"status", "name", "detail", "fix"} for c in doc["checks"])
    by_name = {c["name"]: c for c in doc["checks"]}
    assert by_name["proxy"]["status"] == "FAIL" and by_name["proxy"]["fix"]
    assert by_name["netcage"]["status"] == "ok" and by_name["netcage"]["fix"] is None
    text = doctor_cli.run("doctor")
    assert [line.split()[0] for line in text.stdout.splitlines()
            if not line.startswith("  ")] == [c["status"] for c in doc["checks"]]


def test_doctor_json_refuses_typos_and_extra_words(cli):
    res = cli.run("doctor", "--jsn")
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.startswith(
        "anon-pi: unknown option for doctor: --jsn; did you mean `--json`?")
    res = cli.run("doctor", "now")
    assert res.returncode == 2
    assert res.stderr.startswith("anon-pi: doctor takes no arguments, got extra: now")


@pytest.mark.parametrize("argv, usage", [
    (["machine", "create", "--help"],
     "Usage: anon-pi machine create <name> [-i|--image <ref>] [--force]"),
    (["machine", "list", "-h"], "Usage: anon-pi machine list [--json]"),
    (["machine", "set-image", "--help"],
     "Usage: anon-pi machine set-image <machine> <ref> [--force]"),
    (["machine", "rm", "box", "--help"],
     "Usage: anon-pi machine rm <machine> [-y|--yes] [--dry-run]"),
    (["image", "snapshot", "--help"], ("Usage: anon-pi image snapshot <name> "
                                       "[-m|--machine <machine>] [--create-machine <name>]")),
    (["image", "list", "--help"], "Usage: anon-pi image list [--json]"),
    (["help", "image", "list"], "Usage: anon-pi image list [--json]"),
    (["doctor", "--help"], "Usage: anon-pi doctor [--here] [--json]"),
])
def test_every_sub_verb_has_its_own_help(cli, argv, usage):
    res = cli.run(*argv)
    assert (res.returncode, res.stderr) == (0, "")
    words = argv[1:3] if argv[0] == "help" else [a for a in argv if not a.startswith("-")][:2]
    words = [w for w in words if w != "box"]
    assert res.stdout.splitlines()[0].startswith(f"anon-pi {' '.join(words)} - ")
    assert res.stdout.splitlines()[2].startswith(usage)
    assert cli.calls() == [] and not cli.ws.exists()


@pytest.mark.parametrize("argv, first", [
    (["machine", "--help"], "anon-pi machine - machines: an image pin plus a persistent home"),
    (["image", "--help"], ("anon-pi image - snapshot a running jail into an image, and list "
                           "those images")),
])
def test_every_group_has_its_own_help(cli, argv, first):
    res = cli.run(*argv)
    assert (res.returncode, res.stderr, res.stdout.splitlines()[0]) == (0, "", first)


def test_top_help_lists_fish_and_the_new_verbs(cli):
    out = cli.run("--help").stdout
    assert "anon-pi completions bash|zsh|fish" in out
    assert "anon-pi help [<verb> [<sub-verb>]]" in out and "anon-pi version" in out
    assert "anon-pi doctor [--here] [--json]" in out


def test_menu_is_coloured_only_without_no_color(cli):
    from menu_support import layout, menu

    layout(cli)
    label, out, code = menu(cli, keys="\r", NO_COLOR="")
    assert code == 0 and label.startswith("_under")
    assert "\x1b[0;36;7m> _under" in out or "\x1b[0;7;36m> _under" in out, out[-600:]
    _label, plain, _ = menu(cli, keys="\r")
    assert ";36" not in plain and "36;" not in plain

