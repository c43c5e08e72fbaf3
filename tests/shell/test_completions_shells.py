"""The generated scripts in a real bash, zsh and fish: what a TAB offers for partial lines."""

import pytest
from completions_support import (
    bash_candidates,
    fish_candidates,
    make_workspace,
    offered,
    shell_env,
    write_cache,
    zsh_candidates,
    zsh_fpath,
    zsh_tab_inserts,
)

SHELLS = ["bash", "zsh", "fish"]

TOP_WORDS = ["completions", "config", "container", "doctor", "egress", "forward", "help", "image",
             "init", "machine", "ports", "version"]
# after the launch target: anon-pi's own launch flags, pi's -c/--continue and --fork, and the
# pi flags the README shows
AFTER_SHORT = ["-m", "-i", "-q", "-c", "-p", "-n", "-r"]
AFTER_LONG = ["--machine", "--image", "--mount", "--here", "--shell", "--web", "--dry-run",
              "--quiet", "--color", "--continue", "--fork", "--print", "--mode", "--model",
              "--thinking", "--name", "--resume", "--session", "--session-id", "--no-session",
              "--export"]
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
    ("anon-pi config ", ["get", "path", "set", "show", "unset"]),
    ("anon-pi config set ", ["defaultMachine", "gitIdentity", "image", "isolation", "llm",
                             "locale", "piNetwork", "projects", "proxy", "timezone", "web"]),
    ("anon-pi config get pi", ["piNetwork"]),
    ("anon-pi config set isolation ", ["machine", "none", "project"]),
    ("anon-pi config set piNetwork ", ["false", "true"]),
    ("anon-pi config set defaultMachine ", ["box", "default"]),
    ("anon-pi config set -m box proxy ", []),
    ("anon-pi config show -m ", ["box", "default"]),
    ("anon-pi ", [".", *TOP_WORDS, "recon", "report", "web"]),
    ("anon-pi --d", ["--delete-home", "--delete-project", "--dry-run"]),
    ("anon-pi machine rm box --", ["--color", "--dry-run", "--help", "--quiet", "--yes"]),
    ("anon-pi machine -", ["-h", "--help", "-q", "--quiet", "--color"]),
    ("anon-pi -m box ", [".", "recon", "report", "web"]),
    ("anon-pi recon ", []),
    ("anon-pi machine create ", []),
    ("anon-pi --s", ["--session", "--session-id", "--shell"]),
    ("anon-pi -m box --re", ["--resume"]),
    ("anon-pi -r", ["-r"]),
    ("anon-pi recon -", [*AFTER_SHORT, *AFTER_LONG]),
    ("anon-pi -m box . --", AFTER_LONG),
    ("anon-pi --se", ["--session", "--session-id"]),
    ("anon-pi --session abc -", [*AFTER_SHORT, *AFTER_LONG]),
    ("anon-pi --l", ["--list-models"]),
    ("anon-pi --mo", ["--mount"]),
    ("anon-pi --fork abc ", []),
    ("anon-pi machine list --", ["--color", "--help", "--json", "--quiet"]),
    ("anon-pi ports --j", ["--json"]),
    ("anon-pi image list --j", ["--json"]),
    ("anon-pi -i ", []),  # no image cache yet: nothing, and no netcage call
    ("anon-pi container ", ["create", "enter", "list", "rm"]),
    ("anon-pi container create dev -m ", ["box", "default"]),
    ("anon-pi container create dev ", [".", "recon", "report", "web"]),
    ("anon-pi container list -", ["-h", "--help", "--json", "-q", "--quiet", "--color"]),
    ("anon-pi container rm dev --", ["--color", "--dry-run", "--help", "--quiet",
                                    "--yes"]),
    ("anon-pi image snapshot tb --update-machine ", ["box", "default"]),
    # anon-pi's own flags after the project are anon-pi's, and complete as such
    ("anon-pi recon -m ", ["box", "default"]),
    ("anon-pi recon -p hi --machine d", ["default"]),
    ("anon-pi --dry-run machine rm ", ["box", "default"]),
    ("anon-pi -m box ports ", [".", "recon", "report", "web"]),
    ("anon-pi forward --bind ", ["0.0.0.0", "127.0.0.1"]),
    ("anon-pi image snapshot tb --create-machine ", []),  # a new machine's name
    # help's topics: the verbs, then a group's sub-verbs; `version` is a verb of its own
    ("anon-pi help ", ["completions", "config", "container", "doctor", "egress", "forward",
                       "image", "init", "machine", "ports", "version"]),
    ("anon-pi help m", ["machine"]),
    ("anon-pi help machine ", ["create", "list", "rm", "set-image"]),
    ("anon-pi help container e", ["enter"]),
    ("anon-pi help --d", ["--delete-home", "--delete-project"]),
    ("anon-pi h", ["help"]),
    ("anon-pi v", ["version"]),
    # pi's flags after a project or a folder, with their values where they have a fixed set
    ("anon-pi recon --mo", ["--mode", "--model", "--mount"]),
    ("anon-pi recon -p hi --mode ", ["json", "rpc", "text", "text-stream"]),
    ("anon-pi recon --thinking h", ["high"]),
    ("anon-pi recon --model ", []),
    ("anon-pi ./repo --c", ["--color", "--continue"]),
    ("anon-pi --here -", [*AFTER_SHORT, *AFTER_LONG]),
    ("anon-pi --here --th", ["--thinking"]),
    # anon-pi's launch flags: their values wherever they stand
    ("anon-pi --here -m ", ["box", "default"]),
    ("anon-pi -i anon-pi/x:1 -m b", ["box"]),
    ("anon-pi --dry-run --shell ", [".", "recon", "report", "web"]),
    ("anon-pi container create dev --", ["--color", "--dry-run", "--help", "--here", "--image",
                                         "--machine", "--mount", "--quiet", "--shell"]),
    ("anon-pi doctor --", ["--color", "--help", "--here", "--json", "--quiet"]),
]
# bash and zsh glob the folders that start with the typed word (fish matches its own way)
GLOB_CASES = [
    ("anon-pi x", []),  # no folder matches the prefix: nothing, not the glob pattern itself
    ("anon-pi r*", []),  # the typed word is literal, never a pattern
    ("anon-pi -m .", []),  # a hidden folder is never a machine
    ("anon-pi -m b", ["box"]),
]
IMAGES = ["anon-pi/pi-webveil:latest", "anon-pi/pi:latest", "anon-pi/snap1:latest"]
IMAGE_CASES = [("anon-pi -i ", IMAGES), ("anon-pi --image anon-pi/s", ["anon-pi/snap1:latest"]),
               ("anon-pi machine create box2 --image ", IMAGES),
               ("anon-pi machine set-image box ", IMAGES),
               ("anon-pi -m box -i anon-pi/pi", IMAGES[:2])]


def _image_cache(place):
    write_cache(place / "xdg", "images", IMAGES)
    return place / "xdg"


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("line,images", IMAGE_CASES)
def test_image_names_come_from_the_cache_file(place, shell, line, images):
    env = _env(place, XDG_CACHE_HOME=_image_cache(place))
    assert offered(shell, line, env, place) == images


@pytest.mark.parametrize("shell", SHELLS)
def test_image_cache_under_home_by_default_and_a_relative_xdg_cache_home_is_ignored(place, shell):
    (place / "home").mkdir()
    _image_cache(place).rename(place / "home" / ".cache")
    assert offered(shell, "anon-pi -i ", _env(place), place) == IMAGES
    env = _env(place, XDG_CACHE_HOME="relative/ignored")  # XDG: a relative path is invalid
    assert offered(shell, "anon-pi -i ", env, place) == IMAGES


@pytest.fixture
def place(tmp_path):
    make_workspace(tmp_path)
    (tmp_path / "mnt-a").mkdir()
    (tmp_path / "mnt-b").mkdir()
    return tmp_path


def _env(tmp, **extra):
    return shell_env(tmp / "home", ANON_PI_HOME=tmp / "ws", **extra)


@pytest.mark.parametrize("loader", [False, True], ids=["plain-bash", "bash-completion"])
@pytest.mark.parametrize("line,words", CASES + GLOB_CASES)
def test_bash_offers(place, line, words, loader):
    got = bash_candidates(line, _env(place), place, with_bash_completion=loader)
    assert sorted(got) == sorted(words)


def test_a_tab_leaves_the_users_nullglob_setting_alone(place):
    from completions_support import BASH_SCRIPT

    program = f"""source {BASH_SCRIPT}
for setting in -u -s; do
  shopt $setting nullglob
  COMP_WORDS=(anon-pi r) COMP_CWORD=1 COMP_LINE="anon-pi r" COMP_POINT=9
  _anon_pi anon-pi r anon-pi
  echo "${{COMPREPLY[*]}} $(shopt -p nullglob)"
done
"""
    import subprocess

    out = subprocess.run(["bash", "--norc", "-c", program], env=_env(place), cwd=place,
                         capture_output=True, text=True, timeout=20, check=True).stdout
    assert out.splitlines() == ["recon report shopt -u nullglob", "recon report shopt -s nullglob"]


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


@pytest.mark.parametrize("folder", ["pro\"jects", "back\\slash", "plain"])
def test_bash_projects_from_config_json(tmp_path, folder):
    """Without ANON_PI_PROJECTS the `projects` key of config.json is the root
    (JSON escapes undone by the shell itself)."""
    make_workspace(tmp_path, projects_dir=tmp_path / "my code" / folder)
    got = bash_candidates("anon-pi --shell ", _env(tmp_path), tmp_path)
    assert sorted(got) == [".", "recon", "report", "web"]


def test_zsh_projects_from_config_json_with_escapes(tmp_path):
    make_workspace(tmp_path, projects_dir=tmp_path / "my code" / "a\\b\"c")
    got = zsh_candidates("anon-pi --shell r", _env(tmp_path), tmp_path, zsh_fpath(tmp_path))
    assert sorted(got) == ["recon", "report"]


def test_bash_no_workspace_offers_only_words(tmp_path):
    env = shell_env(tmp_path, ANON_PI_HOME=tmp_path / "missing")
    assert bash_candidates("anon-pi -m ", env, tmp_path) == []
    assert bash_candidates("anon-pi ", env, tmp_path) == [*TOP_WORDS, "."]


# anon-pi's name rule: Unicode letters (L*) and decimal digits (Nd). `[[:alnum:]]` also takes
# letter numbers (Ⅻ, 〇) and combining marks (ः): bash and zsh offer ASCII, Latin, Greek and
# Cyrillic names only (not the Arabic-Indic digit), fish the rule itself; none offers a name
# the rule refuses
ODD_NAMES = {"\u216b": False, "a\u0903": False, "\u3007x": False, "caf\u00e9": True,
             "\u0663d": True}


def _odd_projects(place):
    for name in ODD_NAMES:
        (place / "ws" / "projects" / name).mkdir()


@pytest.mark.parametrize("shell", SHELLS)
def test_no_shell_offers_a_name_the_rule_refuses(place, shell):
    from anonpi_helpers.core.names import is_valid_name

    _odd_projects(place)
    assert {n: is_valid_name(n, "project") for n in ODD_NAMES} == ODD_NAMES
    if shell == "fish":
        words = ["recon", "report", "web", *(n for n, ok in ODD_NAMES.items() if ok)]
    else:
        words = [".", "caf\u00e9", "recon", "report", "web"]
    assert offered(shell, "anon-pi --shell ", _env(place), place) == sorted(words)


def test_a_path_where_the_project_stands_completes_folders(place):
    (place / "code" / "repo").mkdir(parents=True)
    (place / "code" / "notes.txt").write_text("")
    assert bash_candidates("anon-pi ./code/r", _env(place), place) == ["./code/repo"]
    assert bash_candidates("anon-pi container create dev ./code/", _env(place), place) == [
        "./code/repo"]


def test_fish_completes_a_path_where_the_project_stands(place):
    (place / "code" / "repo").mkdir(parents=True)
    assert fish_candidates("anon-pi ./code/r", _env(place), place) == ["./code/repo/"]


def test_descriptions_are_anon_pis_own_words():
    """The zsh/fish texts come from the table: none speaks of Invoke's --project."""
    from completions_support import FISH_SCRIPT, ZSH_SCRIPT

    for script in (ZSH_SCRIPT, FISH_SCRIPT):
        for line in script.read_text().splitlines():
            if "'--resume'" in line or "'-r'" in line:
                assert "--project" not in line, line
                assert "picker" in line or "pick" in line, line


@pytest.mark.parametrize("line,words", [c for c in CASES + GLOB_CASES if c[1]])
def test_zsh_offers(place, line, words):
    got = zsh_candidates(line, _env(place), place, zsh_fpath(place))
    assert sorted(got) == sorted(words)


def test_zsh_mount_completes_a_directory(place):
    (place / "mnt-b").rmdir()
    (place / "mnt-file").write_text("")
    assert zsh_tab_inserts("anon-pi --mount mnt", "anon-pi --mount mnt-a/", _env(place), place,
                           zsh_fpath(place))


def test_zsh_tab_inserts_the_verb(place):
    assert zsh_tab_inserts("anon-pi ma", "anon-pi machine ", _env(place), place,
                           zsh_fpath(place))


@pytest.mark.parametrize("line,words", CASES)
def test_fish_offers(place, line, words):
    """fish hides candidates starting with `.` unless the token does, so `.` is not listed."""
    got = fish_candidates(line, _env(place), place)
    assert sorted(got) == sorted(w for w in words if w != ".")


def test_fish_mount_dirs_and_projects_from_config(tmp_path):
    make_workspace(tmp_path, projects_dir=tmp_path / "my code" / "pro\"jects")
    (tmp_path / "mnt-a").mkdir()
    assert fish_candidates("anon-pi --mount mnt", _env(tmp_path), tmp_path) == ["mnt-a/"]
    assert sorted(fish_candidates("anon-pi --shell ", _env(tmp_path), tmp_path)) == [
        "recon", "report", "web"]
    assert fish_candidates("anon-pi forward .", _env(tmp_path), tmp_path) == ["."]
    # fish lists a candidate starting with `.` once the word does (fish 3.6 hides it from
    # an empty word; later fish lists it for the arguments a script offers)
    assert fish_candidates("anon-pi .", _env(tmp_path), tmp_path) == ["."]
    assert fish_candidates("anon-pi -m box --shell .", _env(tmp_path), tmp_path) == ["."]

