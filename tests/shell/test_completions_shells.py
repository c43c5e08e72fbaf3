"""The generated scripts in a real bash, zsh and fish: what a TAB offers for partial lines."""

import pytest
from completions_support import (
    BASH_COMPLETION,
    bash_candidates,
    fish_candidates,
    have,
    make_workspace,
    shell_env,
    zsh_candidates,
    zsh_fpath,
    zsh_tab_inserts,
)

TOP_WORDS = ["completions", "container", "doctor", "forward", "image", "init", "machine", "ports"]
# (partial line, exactly what is offered) against 2 machines and 3 projects
CASES = [
    ("anon-pi ma", ["machine"]),
    ("anon-pi machine ", ["create", "list", "rm", "set-image"]),
    ("anon-pi machine s", ["set-image"]),
    ("anon-pi -m ", ["box", "default"]),
    ("anon-pi --machine d", ["default"]),
    ("anon-pi --shell re", ["recon", "report"]),
    ("anon-pi -m box --shell ", [".", "recon", "report", "web"]),
    ("anon-pi image s", ["snapshot"]),
    ("anon-pi image ", ["list", "snapshot"]),
    ("anon-pi image snapshot tb -m ", ["box", "default"]),
    ("anon-pi forward ", [".", "recon", "report", "web"]),
    ("anon-pi forward --port 3001 -m b", ["box"]),
    ("anon-pi ports w", ["web"]),
    ("anon-pi machine rm ", ["box", "default"]),
    ("anon-pi machine set-image d", ["default"]),
    ("anon-pi --delete-home ", ["box", "default"]),
    ("anon-pi --delete-project r", ["recon", "report"]),
    ("anon-pi completions ", ["bash", "fish", "zsh"]),
    ("anon-pi ", [".", *TOP_WORDS, "recon", "report", "web"]),
    ("anon-pi --d", ["--delete-home", "--delete-project", "--dry-run"]),
    ("anon-pi machine rm box --", ["--help", "--yes"]),
    ("anon-pi machine -", ["-h", "--help"]),
    ("anon-pi -m box ", [".", "recon", "report", "web"]),
    ("anon-pi recon ", []),
    ("anon-pi machine create ", []),
    ("anon-pi --s", ["--session", "--session-id", "--shell"]),
    ("anon-pi -m box --re", ["--resume"]),
    ("anon-pi -r", ["-r"]),
    ("anon-pi container ", ["create", "enter", "list", "rm"]),
    ("anon-pi container create dev -m ", ["box", "default"]),
    ("anon-pi container create dev ", [".", "recon", "report", "web"]),
    ("anon-pi container list -", ["-h", "--help", "--json"]),
    ("anon-pi container rm dev --", ["--help", "--yes"]),
    ("anon-pi image snapshot tb --update-machine ", ["box", "default"]),
]


@pytest.fixture
def place(tmp_path):
    make_workspace(tmp_path)
    (tmp_path / "mnt-a").mkdir()
    (tmp_path / "mnt-b").mkdir()
    return tmp_path


def _env(tmp, **extra):
    return shell_env(tmp / "home", ANON_PI_HOME=tmp / "ws", **extra)


@pytest.mark.parametrize("loader", [False, pytest.param(True, marks=pytest.mark.skipif(
    not BASH_COMPLETION.exists(), reason="bash-completion not installed"))],
    ids=["plain-bash", "bash-completion"])
@pytest.mark.parametrize("line,offered", CASES)
def test_bash_offers(place, line, offered, loader):
    got = bash_candidates(line, _env(place), place, with_bash_completion=loader)
    assert sorted(got) == sorted(offered)


def test_bash_mount_offers_directories(place):
    got = bash_candidates("anon-pi --mount mnt-", _env(place), place)
    assert sorted(got) == ["mnt-a", "mnt-b"]


def test_bash_tilde_home_and_env_projects(place):
    """ANON_PI_HOME with a leading ~, and ANON_PI_PROJECTS winning over the workspace."""
    (place / "home").mkdir()
    (place / "ws").rename(place / "home" / "aws")
    other = place / "elsewhere"
    (other / "zeta").mkdir(parents=True)
    env = shell_env(place / "home", ANON_PI_HOME="~/aws")
    assert bash_candidates("anon-pi -m ", env, place) == ["box", "default"]
    assert sorted(bash_candidates("anon-pi forward ", env, place)) == [
        ".", "recon", "report", "web"]
    env["ANON_PI_PROJECTS"] = str(other)
    assert bash_candidates("anon-pi --delete-project ", env, place) == ["zeta"]


def test_bash_projects_from_config_json(tmp_path):
    """Ruling 23: without ANON_PI_PROJECTS the `projects` key of config.json is the root."""
    make_workspace(tmp_path, projects_dir=tmp_path / "my code" / "pro\"jects")
    got = bash_candidates("anon-pi --shell ", _env(tmp_path), tmp_path)
    assert sorted(got) == [".", "recon", "report", "web"]


def test_bash_no_workspace_offers_only_words(tmp_path):
    env = shell_env(tmp_path, ANON_PI_HOME=tmp_path / "missing")
    assert bash_candidates("anon-pi -m ", env, tmp_path) == []
    assert bash_candidates("anon-pi ", env, tmp_path) == [*TOP_WORDS, "."]


zsh_only = pytest.mark.skipif(not have("zsh"), reason="zsh not installed")


@zsh_only
@pytest.mark.parametrize("line,offered", [c for c in CASES if c[1]])
def test_zsh_offers(place, line, offered):
    got = zsh_candidates(line, _env(place), place, zsh_fpath(place))
    assert sorted(got) == sorted(offered)


@zsh_only
def test_zsh_mount_completes_a_directory(place):
    (place / "mnt-b").rmdir()
    (place / "mnt-file").write_text("")
    assert zsh_tab_inserts("anon-pi --mount mnt", "anon-pi --mount mnt-a/", _env(place), place,
                           zsh_fpath(place))


@zsh_only
def test_zsh_tab_inserts_the_verb(place):
    assert zsh_tab_inserts("anon-pi ma", "anon-pi machine ", _env(place), place,
                           zsh_fpath(place))


fish_only = pytest.mark.skipif(not have("fish"), reason="fish not installed")


@fish_only
@pytest.mark.parametrize("line,offered", CASES)
def test_fish_offers(place, line, offered):
    """fish hides candidates starting with `.` unless the token does, so `.` is not listed."""
    got = fish_candidates(line, _env(place), place)
    assert sorted(got) == sorted(w for w in offered if w != ".")


@fish_only
def test_fish_mount_dirs_and_projects_from_config(tmp_path):
    make_workspace(tmp_path, projects_dir=tmp_path / "my code" / "pro\"jects")
    (tmp_path / "mnt-a").mkdir()
    assert fish_candidates("anon-pi --mount mnt", _env(tmp_path), tmp_path) == ["mnt-a/"]
    assert sorted(fish_candidates("anon-pi --shell ", _env(tmp_path), tmp_path)) == [
        "recon", "report", "web"]
    assert fish_candidates("anon-pi forward .", _env(tmp_path), tmp_path) == ["."]
