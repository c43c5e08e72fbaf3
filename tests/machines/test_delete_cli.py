"""`--delete-home` and `--delete-project` through the real bin/anon-pi (no TTY)."""

import json
import os

import pytest
from data_verbs_support import SESSIONS, make_machine
from tree_digest import tree_digest

HOME_SLUGS = ("--projects-p--", "--work-p--", "--projects--", "--projects-other--")


def _ok(res):
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    return res


def _refused(cli, *args, words, code=1):
    before = tree_digest(cli.ws)
    res = cli.run(*args)
    assert res.returncode == code, (res.stdout, res.stderr)
    assert res.stderr.startswith("anon-pi: ") and words in res.stderr
    assert "Traceback" not in res.stderr
    assert tree_digest(cli.ws) == before
    return res


def _config(cli, body: str):
    cli.ws.mkdir(parents=True, exist_ok=True)
    (cli.ws / "config.json").write_text(body, encoding="utf-8")


@pytest.mark.parametrize("verb", ["--delete-home", "--delete-project"])
@pytest.mark.parametrize("tail", [("-h",), ("--help",), ("p", "--yes", "-h"), ("--yes", "--help")])
def test_help_inside_the_verb_deletes_nothing(cli, verb, tail):
    make_machine(cli.ws, "default", slugs=HOME_SLUGS)
    make_machine(cli.ws, "p", slugs=HOME_SLUGS)
    (cli.ws / "projects/p").mkdir(parents=True)
    before = tree_digest(cli.ws)
    res = _ok(cli.run(verb, *tail))
    assert res.stdout.startswith(f"anon-pi {verb}")
    assert tree_digest(cli.ws) == before


@pytest.mark.parametrize("args, words", [
    (("--delete-home", "a", "b"), "--delete-home takes [<machine>], got extra: b"),
    (("--delete-home", "--mount"), "unknown option for --delete-home: --mount"),
    (("--delete-home", "pi"), "invalid machine name"),
    (("--delete-home", "../x"), "invalid machine name"),
    (("--delete-project",), "--delete-project needs <project>"),
    (("--delete-project", "--yes"), "--delete-project needs <project>"),
    (("--delete-project", "."), "invalid project name"),
    (("--delete-project", ""), "invalid project name"),
    (("--delete-project", ".."), "invalid project name"),
    (("--delete-project", "a/b"), "invalid project name"),
    (("--delete-project", "p", "q"), "--delete-project takes <project>, got extra: q"),
    (("--delete-project", "p", "--mount", "x"), "unknown option for --delete-project: --mount"),
])
def test_argument_errors(cli, args, words):
    make_machine(cli.ws, "default", slugs=HOME_SLUGS)
    (cli.ws / "projects/p").mkdir(parents=True)
    _refused(cli, *args, words=words, code=1 if "invalid" in words else 2)


@pytest.mark.parametrize("args", [("--delete-home",), ("--delete-project", "p"),
                                  ("machine", "rm", "default")])
def test_no_tty_without_yes_refuses(cli, args):
    make_machine(cli.ws, "default", slugs=HOME_SLUGS)
    (cli.ws / "projects/p").mkdir(parents=True)
    res = _refused(cli, *args, words="without a TTY")
    assert "--yes" in res.stderr


def test_delete_home_keeps_pin_seeds_projects_and_other_homes(cli):
    box = make_machine(cli.ws, "box", image="img:7", slugs=HOME_SLUGS)
    (box / "models.json").write_text("{}")
    (box / "settings-seed.json").write_text("{}")
    other = make_machine(cli.ws, "other", slugs=HOME_SLUGS)
    (cli.ws / "projects/p").mkdir(parents=True)
    (cli.ws / "projects/p/f").write_text("x")
    keep = {p: tree_digest(p) for p in (other, cli.ws / "projects")}
    res = _ok(cli.run("--delete-home", "box", "--yes"))
    assert not (box / "home").exists()
    assert sorted(os.listdir(box)) == ["machine.json", "models.json", "settings-seed.json"]
    assert all(tree_digest(p) == d for p, d in keep.items())
    assert res.stderr == (f'anon-pi: deleted machine "box" home ({box / "home"}); its image pin '
                          "(img:7) is kept; relaunch to seed a fresh home.\n")


def test_delete_home_without_pin_does_not_claim_one(cli):
    make_machine(cli.ws, "box", image=None)
    res = _ok(cli.run("--delete-home", "box", "-y"))
    assert "is kept" not in res.stderr and "no image pinned" in res.stderr


def test_delete_home_missing(cli):
    _refused(cli, "--delete-home", "ghost", "--yes", words="nothing to delete")
    make_machine(cli.ws, "bare", seeded=False)
    os.rmdir(cli.ws / "machines/bare/home")
    _refused(cli, "--delete-home", "bare", "--yes", words='no home for machine "bare"')


def test_delete_home_defaults(cli):
    make_machine(cli.ws, "default")
    make_machine(cli.ws, "recon")
    _config(cli, json.dumps({"defaultMachine": " recon "}))
    _ok(cli.run("--delete-home", "--yes"))
    assert not (cli.ws / "machines/recon/home").exists()
    assert (cli.ws / "machines/default/home").exists()
    _config(cli, json.dumps({"defaultMachine": ""}))
    _ok(cli.run("--delete-home", "--yes"))
    assert not (cli.ws / "machines/default/home").exists()


def test_delete_home_with_bom_config_uses_it(cli):
    make_machine(cli.ws, "default")
    make_machine(cli.ws, "recon")
    _config(cli, "\ufeff" + json.dumps({"defaultMachine": "recon"}))
    _ok(cli.run("--delete-home", "--yes"))
    assert not (cli.ws / "machines/recon/home").exists()
    assert (cli.ws / "machines/default/home").exists()


@pytest.mark.parametrize("body, words", [
    ('{"defaultMachine": "recon"', "config.json is not a valid JSON object"),
    ("[1]", "config.json is not a valid JSON object"),
    ('{"defaultMachine": 5}', "defaultMachine is not a string"),
    ('{"defaultMachine": "pi"}', "invalid machine name"),
])
def test_unreadable_default_is_an_error_not_default(cli, body, words):
    make_machine(cli.ws, "default")
    _config(cli, body)
    _refused(cli, "--delete-home", "--yes", words=words)


def test_delete_project_removes_folder_and_projects_slug_everywhere(cli):
    a = make_machine(cli.ws, "a", slugs=HOME_SLUGS)
    b = make_machine(cli.ws, "b", slugs=("--projects-p--",))
    c = make_machine(cli.ws, "c", slugs=("--projects-other--",))
    (cli.ws / "projects/p/sub").mkdir(parents=True)
    (cli.ws / "projects/other").mkdir()
    res = _ok(cli.run("--delete-project", "p", "--yes"))
    assert not (cli.ws / "projects/p").exists() and (cli.ws / "projects/other").exists()
    assert sorted(os.listdir(a / SESSIONS)) == ["--projects--", "--projects-other--", "--work-p--"]
    assert os.listdir(b / SESSIONS) == [] and os.listdir(c / SESSIONS) == ["--projects-other--"]
    assert (a / "home/.pi/agent/.anon-pi-seed").exists()
    assert res.stderr == ('anon-pi: deleted project "p" (files + 2 per-machine session dir(s)); '
                          "the machine homes are kept.\n")


def test_delete_project_sessions_only(cli):
    a = make_machine(cli.ws, "a", slugs=("--projects-p--",))
    res = _ok(cli.run("--delete-project", "p", "--yes"))
    assert "files" not in res.stderr and "1 per-machine session dir(s)" in res.stderr
    assert os.listdir(a / SESSIONS) == []


def test_delete_project_nothing_found(cli):
    make_machine(cli.ws, "a", slugs=("--work-p--", "--projects--"))
    res = _refused(cli, "--delete-project", "p", "--yes", words="no files or sessions found")
    assert "nothing to delete" in res.stderr


def test_delete_project_honours_env_root_with_tilde(cli):
    code = cli.home / "code"
    (code / "p").mkdir(parents=True)
    (cli.ws / "projects/p").mkdir(parents=True)
    _ok(cli.run("--delete-project", "p", "--yes", ANON_PI_PROJECTS="~/code"))
    assert not (code / "p").exists() and (cli.ws / "projects/p").exists()


def test_delete_project_honours_config_root(cli):
    root = cli.tmp / "elsewhere"
    (root / "p").mkdir(parents=True)
    _config(cli, json.dumps({"projects": str(root)}))
    _ok(cli.run("--delete-project", "p", "--yes"))
    assert not (root / "p").exists()


def test_delete_project_relative_env_root_is_refused(cli):
    (cli.ws / "projects/p").mkdir(parents=True)
    res = cli.run("--delete-project", "p", "--yes", ANON_PI_PROJECTS="rel/dir")
    assert res.returncode == 1 and "absolute" in res.stderr
    assert (cli.ws / "projects/p").exists()


def test_symlinked_project_folder_loses_only_its_link(cli):
    checkout = cli.tmp / "checkout"
    (checkout / "src").mkdir(parents=True)
    (checkout / "src/main.py").write_text("print(1)")
    (cli.ws / "projects").mkdir(parents=True)
    (cli.ws / "projects/p").symlink_to(checkout)
    before = tree_digest(checkout)
    res = _ok(cli.run("--delete-project", "p", "--yes"))
    assert not os.path.lexists(cli.ws / "projects/p")
    assert tree_digest(checkout) == before
    assert "folder link" in res.stderr


def test_symlinked_sessions_folder_is_skipped(cli):
    outside = cli.tmp / "outside"
    (outside / "--projects-p--").mkdir(parents=True)
    (outside / "--projects-p--/keep").write_text("x")
    a = make_machine(cli.ws, "a")
    (a / SESSIONS).symlink_to(outside)
    b = make_machine(cli.ws, "b", slugs=("--projects-p--",))
    res = _ok(cli.run("--delete-project", "p", "--yes"))
    assert (outside / "--projects-p--/keep").exists()
    assert "is a symlink; skipped" in res.stderr
    assert os.listdir(b / SESSIONS) == []


def test_symlinked_agent_folder_is_not_walked(cli):
    outside = cli.tmp / "outside"
    (outside / "sessions/--projects-p--").mkdir(parents=True)
    a = make_machine(cli.ws, "a", seeded=False)
    (a / "home/.pi").mkdir()
    (a / "home/.pi/agent").symlink_to(outside)
    (cli.ws / "projects/p").mkdir(parents=True)
    _ok(cli.run("--delete-project", "p", "--yes"))
    assert (outside / "sessions/--projects-p--").exists()


def test_symlinked_home_loses_only_its_link(cli):
    outside = cli.tmp / "outside-home"
    (outside / ".pi").mkdir(parents=True)
    (outside / ".pi/keep").write_text("x")
    (cli.ws / "machines/box").mkdir(parents=True)
    (cli.ws / "machines/box/home").symlink_to(outside)
    res = _ok(cli.run("--delete-home", "box", "--yes"))
    assert not os.path.lexists(cli.ws / "machines/box/home")
    assert (outside / ".pi/keep").read_text() == "x"
    assert "link only" in res.stderr


def test_symlink_slug_loses_only_its_link(cli):
    outside = cli.tmp / "outside"
    outside.mkdir()
    (outside / "keep").write_text("x")
    a = make_machine(cli.ws, "a", slugs=("--projects-q--",))
    (a / SESSIONS / "--projects-p--").symlink_to(outside)
    _ok(cli.run("--delete-project", "p", "--yes"))
    assert not os.path.lexists(a / SESSIONS / "--projects-p--")
    assert (outside / "keep").exists()


def test_a_launch_flag_before_the_verb_is_read_as_the_verbs(cli):
    """`-m x --delete-home` is `--delete-home -m x`: -m is no flag of --delete-home."""
    make_machine(cli.ws, "x")
    res = _refused(cli, "-m", "x", "--delete-home", "--yes",
                   words="unknown option for --delete-home: -m", code=2)
    assert (cli.ws / "machines/x/home").exists() and res.stdout == ""
