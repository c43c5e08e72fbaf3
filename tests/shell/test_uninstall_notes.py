"""What `make uninstall` says is left (bin/uninstall-notes): the workspace is named where its
data really is, so the printed command removes the conversations and not just a name for them."""

import re
import subprocess

from harness_paths import ROOT


def _notes(home, **env) -> str:
    res = subprocess.run(["sh", str(ROOT / "bin/uninstall-notes"), str(ROOT)], check=True,
                         capture_output=True, text=True, timeout=60,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(home), **env})
    return res.stdout


def _workspace_command(out: str) -> str:
    [command] = re.findall(r"the default projects root\): (rm -rf .*)$", out, re.MULTILINE)
    return command


def test_a_workspace_moved_to_a_neutral_folder_is_removed_with_its_link(tmp_path):
    """init's neutral-folder move leaves ~/.anon-pi as a link to the new place: removing the
    link alone would leave every conversation behind."""
    home, neutral = tmp_path / "home", tmp_path / "srv" / "anon-pi"
    (neutral / "machines/default/home").mkdir(parents=True)
    home.mkdir()
    (home / ".anon-pi").symlink_to(neutral)
    command = _workspace_command(_notes(home))
    assert command == f"rm -rf {neutral} {home}/.anon-pi"
    subprocess.run(["sh", "-c", command], check=True, timeout=60)
    assert not neutral.exists() and not (home / ".anon-pi").is_symlink()



def test_a_workspace_given_with_a_tilde_is_found(tmp_path):
    """ANON_PI_HOME's leading `~` is the home folder, for the notes as for every verb."""
    home = tmp_path / "home"
    (home / "anon").mkdir(parents=True)
    assert _workspace_command(_notes(home, ANON_PI_HOME="~/anon")) == f"rm -rf {home}/anon"
