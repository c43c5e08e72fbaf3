"""Ask a real bash, zsh or fish which words the generated completion scripts offer for a line.

Each asker first calls tool_support.need() for its shell: a case whose shell is missing skips
with one line (fails under CI, which installs them all), never passes having asked no one."""

import json
import shutil
import subprocess
import time
from pathlib import Path

from tool_support import BASH_COMPLETION, need

ROOT = Path(__file__).resolve().parent.parent
BASH_SCRIPT = ROOT / "completions" / "anon-pi.bash"
ZSH_SCRIPT = ROOT / "completions" / "_anon-pi"
FISH_SCRIPT = ROOT / "completions" / "anon-pi.fish"
MACHINES = ("box", "default")
PROJECTS = ("recon", "report", "web")


def make_workspace(root: Path, projects_dir: Path | None = None) -> Path:
    """Two machines, three projects (plus things that must NOT be offered)."""
    ws = root / "ws"
    for m in MACHINES:
        (ws / "machines" / m / "home").mkdir(parents=True)
    (ws / "machines" / "stray-file").write_text("not a machine\n")
    (ws / "machines" / ".hidden").mkdir()
    pdir = projects_dir or ws / "projects"
    for p in PROJECTS:
        (pdir / p).mkdir(parents=True)
    (pdir / "notes.txt").write_text("a file, not a project\n")
    if projects_dir:
        (ws / "config.json").write_text(json.dumps({"proxy": "socks5h://127.0.0.1:9050",
                                                    "projects": str(projects_dir)},
                                                   indent="\t") + "\n")
    return ws


def write_cache(xdg: Path, kind: str, names, lasts: float = 3600, store: Path | None = None):
    """The cache file anon-pi writes (edges/completion_cache.py): a first line holding its
    expiry (`lasts` seconds from now; negative: already past) and maybe a store file, then
    one name a line."""
    head = f"#anon-pi-names {int(time.time() + lasts)}" + (f" {store}" if store else "")
    path = xdg / "anon-pi" / kind
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{line}\n" for line in [head, *names]))
    return path


def shell_env(home: Path, **extra) -> dict:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "dumb"}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def bash_candidates(line: str, env: dict, cwd: Path, with_bash_completion: bool = False,
                    script: Path = BASH_SCRIPT) -> list[str]:
    """Source the script in a real bash, fill COMP_* for `line` (cursor at its end), run the
    function `complete -p anon-pi` names, and return COMPREPLY."""
    need("bash-completion" if with_bash_completion else "bash")
    loader = f"source {BASH_COMPLETION}\n" if with_bash_completion else ""
    program = loader + f"""source {script}
read -ra COMP_WORDS <<< "$LINE"
[[ $LINE == *' ' ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )) COMP_LINE=$LINE COMP_POINT=${{#LINE}}
fn=$(complete -p anon-pi); fn=${{fn#*-F }}; fn=${{fn%% *}}
"$fn" anon-pi "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    out = subprocess.run(["bash", "--norc", "--noprofile", "-c", program],
                         env={**env, "LINE": line}, cwd=cwd, capture_output=True, text=True,
                         timeout=20, check=True).stdout
    return [w for w in out.splitlines() if w]


def zsh_candidates(line: str, env: dict, cwd: Path, fpath_dir: Path) -> list[str]:
    """Type `line` and TAB into an interactive zsh in a real pty (compinit, our _anon-pi on
    $fpath) and return every match compsys accepted, as recorded by a compadd wrapper."""
    hits = Path(cwd) / ".zsh-hits"
    hits.unlink(missing_ok=True)
    setup = [
        f"fpath=({fpath_dir} $fpath); PROMPT='%% '; autoload -Uz compinit; compinit -u -D",
        f"_cap_hits={hits}",
        ('compadd() { if [[ " $* " == *" -"[OAD]" "* ]]; then builtin compadd "$@"; return; fi;'
         ' local -a h; builtin compadd -A h "$@"; print -rl -- $h >> $_cap_hits;'
         ' builtin compadd "$@"; }'),
        "_cap_done() { print -r -- @@DONE@@ >> $_cap_hits }; comppostfuncs=( _cap_done )",
        "bindkey '^I' complete-word",
    ]
    z = _interactive_zsh(env, cwd, setup)
    try:
        z.send(line + "\t")
        end = time.monotonic() + 10
        while time.monotonic() < end:
            if hits.exists() and "@@DONE@@" in hits.read_text():
                break
            time.sleep(0.02)
        else:
            raise AssertionError(f"zsh never finished completing {line!r}")
    finally:
        z.terminate(force=True)
    return [w for w in hits.read_text().splitlines() if w and w != "@@DONE@@"]



def fish_candidates(line: str, env: dict, cwd: Path, script: Path = FISH_SCRIPT) -> list[str]:
    """Source the script in a real fish and ask `complete -C` (fish's own matching)."""
    need("fish")
    out = subprocess.run(["fish", "--no-config", "-c", f"source {script}; complete -C $LINE"],
                         env={**env, "LINE": line}, cwd=cwd, capture_output=True, text=True,
                         timeout=20, check=True).stdout
    return [w.split("\t")[0] for w in out.splitlines() if w]


def _interactive_zsh(env: dict, cwd: Path, setup: list[str]):
    import pexpect

    need("zsh")
    z = pexpect.spawn("zsh", ["-f", "-i"], env=env, cwd=str(cwd), encoding="utf-8", timeout=10,
                      dimensions=(50, 200))
    for cmd in setup:
        z.sendline(cmd)
    z.sendline("print READY")
    z.expect("\r\nREADY")
    return z


def zsh_tab_inserts(line: str, inserted: str, env: dict, cwd: Path, fpath_dir: Path) -> bool:
    """Type `line` and TAB into an interactive zsh; True when zsh then shows `inserted`."""
    import pexpect

    z = _interactive_zsh(env, cwd, [
        f"fpath=({fpath_dir} $fpath); PROMPT='%% '; autoload -Uz compinit; compinit -u -D",
        "bindkey '^I' complete-word"])
    try:
        z.send(line + "\t")
        return z.expect([inserted, pexpect.TIMEOUT], timeout=5) == 0
    finally:
        z.terminate(force=True)


def zsh_fpath(tmp: Path, script: Path = ZSH_SCRIPT) -> Path:
    d = tmp / "site-functions"
    d.mkdir(exist_ok=True)
    shutil.copy(script, d / "_anon-pi")
    return d



def offered(shell: str, line: str, env: dict, cwd: Path) -> list[str]:
    """What a TAB offers for `line` in a real `shell` ("bash", "zsh" or "fish"), sorted."""
    if shell == "bash":
        return sorted(bash_candidates(line, env, cwd))
    if shell == "zsh":
        return sorted(zsh_candidates(line, env, cwd, zsh_fpath(cwd)))
    return sorted(fish_candidates(line, env, cwd))
