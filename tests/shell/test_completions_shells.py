"""The generated scripts in a real bash, zsh and fish: what a TAB offers for partial lines
(the lines and their answers: completion_cases.py)."""

import pytest
from completion_cases import CASES, GLOB_CASES, SHELLS, TOP_WORDS
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
