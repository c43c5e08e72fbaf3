"""No mount that exposes the workspace (a jail that writes config.json could aim the next
launch's direct hole anywhere): a projects root or --mount folder
that is the workspace, holds it, or sits inside it outside `<workspace>/projects`, and a
machine home that holds the workspace, are refused by launch, --dry-run, --delete-project
and reported as FAIL by doctor; nothing is created or changed."""

import pytest
from doctor_support import Responder
from tree_digest import tree_digest

from anonpi_helpers.core.mount_safety import home_problem, projects_problem

WS = "/srv/u/.anon-pi"


@pytest.mark.parametrize("folder, relation", [
    ("/srv/u/.anon-pi", "is"), ("/srv/u", "contains"), ("/", "contains"),
    ("/srv/u/.anon-pi/machines", "is inside"), ("/srv/u/.anon-pi/machines/m/home", "is inside"),
])
def test_exposing_folders_are_named_with_both_paths(folder, relation):
    why, fix = projects_problem("the projects root", folder, WS)
    assert why.startswith(f"the projects root {folder} {relation} the workspace {WS};")
    assert f"below {WS}/projects" in fix


@pytest.mark.parametrize("folder", ["/srv/u/.anon-pi/projects", "/srv/u/.anon-pi/projects/a",
                                    "/srv/u/code", "/srv/u/.anon-pix", "/srv/u/.anon"])
def test_safe_folders_pass(folder):
    assert projects_problem("the projects root", folder, WS) is None


def test_a_home_holding_the_workspace_is_refused():
    assert home_problem("/srv/u", WS)[0].startswith("the machine home /srv/u contains")
    assert home_problem(f"{WS}/machines/m/home", WS) is None


def _refused(cli, argv, first, **env):
    before = {p: tree_digest(p) for p in (cli.ws, cli.home / "projects")}
    res = cli.run(*argv, **env)
    assert res.returncode == 1, res.stderr
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("anon-pi: " + first), res.stderr
    assert {p: tree_digest(p) for p in (cli.ws, cli.home / "projects")} == before
    assert cli.run_calls() == []
    return lines[0]


@pytest.mark.parametrize("dry", [True, False], ids=["dry-run", "launch"])
@pytest.mark.parametrize("how", ["env-home", "env-ws", "mount-home", "config-machines"])
def test_launch_refuses_exposing_roots(cli, dry, how):
    cli.configure()
    env, argv = {}, ["p", "-p", "x"]
    if how == "env-home":  # HOME holds the workspace: ANON_PI_PROJECTS='~'
        env.update(HOME=str(cli.tmp), ANON_PI_PROJECTS="~")
        folder = cli.tmp
    elif how == "env-ws":
        env["ANON_PI_PROJECTS"] = str(cli.ws)
        folder = cli.ws
    elif how == "mount-home":
        argv = ["--mount", str(cli.tmp)] + argv
        folder = cli.tmp
    else:
        cli.write_json(cli.ws / "config.json", {"proxy": "socks5h://127.0.0.1:9050",
                                                "llm": "192.168.1.50:8080",
                                                "projects": str(cli.ws / "machines")})
        folder = cli.ws / "machines"
    what = "the --mount folder" if how == "mount-home" else "the projects root"
    line = _refused(cli, (["--dry-run"] if dry else []) + argv, f"{what} {folder} ", **env)
    assert f"the workspace {cli.ws}" in line and "Fix: " in line


def test_a_linked_projects_root_is_judged_by_its_target(cli):
    cli.configure()
    (cli.tmp / "code").symlink_to(cli.ws)
    _refused(cli, ["--dry-run", "p", "-p", "x"], f"the projects root {cli.ws} is the workspace",
             ANON_PI_PROJECTS=str(cli.tmp / "code"))


def test_workspace_inside_a_linked_machine_home(cli):
    cli.configure()
    (cli.ws / "machines/default/home").symlink_to(cli.tmp)
    _refused(cli, ["--dry-run", "p", "-p", "x"], f"the machine home {cli.tmp} contains")


def test_projects_below_the_default_root_are_fine(cli):
    cli.configure()
    res = cli.run("--dry-run", "p", "-p", "x", ANON_PI_PROJECTS=str(cli.ws / "projects/sub"))
    assert res.returncode == 0, res.stderr


def test_delete_project_refuses_before_deleting(cli):
    cli.configure()
    (cli.ws / "machines/default/home").mkdir(parents=True)
    _refused(cli, ["--delete-project", "machines", "--yes"],
             f"the projects root {cli.ws} is the workspace", ANON_PI_PROJECTS=str(cli.ws))


def test_doctor_fails_on_an_exposing_root(cli):
    proxy, model = Responder(b"\x05\x00"), Responder(None)  # what doctor dials: loopback only
    cli.configure(proxy=f"socks5h://127.0.0.1:{proxy.port}", llm=f"127.0.0.1:{model.port}")
    res = cli.run("doctor", HOME=str(cli.tmp), ANON_PI_PROJECTS="~")
    proxy.close()
    model.close()
    assert res.returncode == 1
    lines = res.stdout.splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith("FAIL mounts: "))
    assert lines[i] == (f"FAIL mounts: the projects root {cli.tmp} contains the workspace "
                        f"{cli.ws}; mounted read-write, the jail could rewrite anon-pi's own "
                        "config")
    assert lines[i + 1].startswith("  fix: set ANON_PI_PROJECTS")
