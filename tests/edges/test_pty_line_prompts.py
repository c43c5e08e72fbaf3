"""The other line prompts in a real pty: forward's port questions and carry-over's
copy/skip."""

import pytest
from containers_support import listeners_json, ps_entry, ps_json
from menu_support import finish, layout, spawn

JAIL = "  jail port to forward"
HOST = "  host port (Enter for same as jail, or type a different one): "


def _one_running(cli, *listeners):
    cli.configure()
    cli.can("ps", ps_json(ps_entry("aaa111", "default", "/projects/alpha", "jail_a")))
    cli.can("ports-aaa111", listeners_json(*listeners))


def _forwards(cli):
    return [c for c in cli.calls() if c[0] == "forward"]


@pytest.mark.parametrize("jail, host, token", [("", "", "3001"), ("3001", "9000", "9000:3001"),
                                               ("8080", "", "8080")])
def test_forward_prompts_build_the_token(cli, jail, host, token):
    _one_running(cli, ("0.0.0.0", 3001, False), ("127.0.0.1", 53, True))
    p = spawn(cli, "forward")
    p.expect_exact("in-jail listeners: open: 3001")
    p.expect_exact(f"{JAIL} [3001]: ")
    p.sendline(jail)
    p.expect_exact(HOST)
    p.sendline(host)
    out, code = finish(p)
    assert code == 0, out
    assert _forwards(cli) == [["forward", "aaa111", token]]


@pytest.mark.parametrize("jail", ["", "abc", "70000", "9000:1"])
def test_forward_bad_or_missing_jail_port_forwards_nothing(cli, jail):
    _one_running(cli, ("0.0.0.0", 3001, False), ("0.0.0.0", 5173, False))
    p = spawn(cli, "forward")
    p.expect_exact(f"{JAIL}: ")  # two ports: no default offered
    p.sendline(jail)
    out, code = finish(p)
    assert code == 1 and out.count("anon-pi: ") == 1, out
    assert _forwards(cli) == []


def test_forward_eof_at_the_port_prompt_cancels(cli):
    _one_running(cli, ("0.0.0.0", 3001, False))
    p = spawn(cli, "forward")
    p.expect_exact(f"{JAIL} [3001]: ")
    p.sendeof()
    _out, code = finish(p)
    assert code == 1 and _forwards(cli) == []


def _carry_over_setup(cli):
    layout(cli)
    box = cli.ws / "machines/box/home/.pi/agent/sessions"
    for slug in ("--projects-Gamma--", "--projects-zzz--"):
        (box / slug).mkdir()
        (box / slug / "s.jsonl").write_text("{}\n")
    cli.can("inspect", '{"anon-pi.source-machine":"box"}\n')
    return box


def test_carry_over_copies_only_the_groups_answered_copy(cli):
    box = _carry_over_setup(cli)
    p = spawn(cli, "machine", "create", "fresh", "--image", "anon-pi/snap:latest")
    for label, answer in (("alpha", "c"), ("beta", "COPY"), ("Gamma", ""),
                          ("--projects-zzz--  (no current project folder)", "s")):
        p.expect_exact(f"  {label}  [copy/SKIP]: ")
        p.sendline(answer)
    p.expect_exact('Also DELETE the 2 copied group(s) from source machine "box"? [y/N] ')
    p.sendline("y")
    out, code = finish(p)
    assert code == 0, out
    copied = cli.ws / "machines/fresh/home/.pi/agent/sessions"
    assert sorted(x.name for x in copied.iterdir()) == ["--projects-alpha--", "--projects-beta--"]
    assert sorted(x.name for x in box.iterdir()) == ["--projects-Gamma--", "--projects-zzz--"]


def test_carry_over_eof_skips_the_rest_and_keeps_the_machine(cli):
    box = _carry_over_setup(cli)
    p = spawn(cli, "machine", "create", "fresh", "--image", "anon-pi/snap:latest")
    p.expect_exact("  alpha  [copy/SKIP]: ")
    p.sendline("copy")
    p.expect_exact("  beta  [copy/SKIP]: ")
    p.sendeof()
    p.expect_exact("? [y/N] ")
    p.sendeof()
    out, code = finish(p)
    assert code == 0, out
    copied = cli.ws / "machines/fresh/home/.pi/agent/sessions"
    assert [x.name for x in copied.iterdir()] == ["--projects-alpha--"]
    assert len(list(box.iterdir())) == 4
    assert (cli.ws / "machines/fresh/machine.json").is_file()
