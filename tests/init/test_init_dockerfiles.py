"""The shipped images: structure checked statically, generated files by running
the Dockerfiles' own RUN lines in a temp dir (paths redirected, `pi` stubbed)."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from harness_paths import ROOT

IMAGES = ROOT / "anonpi_helpers" / "images"
BASIC = IMAGES / "pi" / "Dockerfile.pi"
WEBVEIL = IMAGES / "pi-webveil" / "Dockerfile.pi-webveil"


def instructions(path: Path) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) with continuation lines joined and comments dropped."""
    lines = [ln for ln in path.read_text().splitlines() if not ln.lstrip().startswith("#")]
    text = re.sub(r"\\\n", "\n", "\n".join(lines))
    out, cur = [], None
    for ln in text.split("\n"):
        m = re.match(r"^([A-Z]+)\s+(.*)$", ln)
        if m:
            cur = [m[1], m[2]]
            out.append(cur)
        elif cur and ln.strip():
            cur[1] += "\n" + ln
    return [(k, v) for k, v in out]


def run_step(dockerfile: Path, needle: str, tmp: Path, redirect: dict[str, str]) -> None:
    [script] = [v for k, v in instructions(dockerfile) if k == "RUN" and needle in v]
    for old, new in redirect.items():
        script = script.replace(old, new)
    script = script.replace("\n", " ")
    subprocess.run(["sh", "-c", f'pi() {{ echo "$@" >> {tmp}/pi.log; }}; {script}'],
                   env={"ANON_PI_STAGE": str(tmp / "stage"), "PATH": "/usr/bin:/bin"},
                   check=True, cwd=tmp)


@pytest.mark.parametrize("dockerfile", [BASIC, WEBVEIL])
def test_common_structure(dockerfile, tmp_path):
    assert [p.name for p in dockerfile.parent.iterdir()] == [dockerfile.name]
    steps = instructions(dockerfile)
    assert steps[0][0] == "FROM" and "/node:" in steps[0][1]
    runs = "\n".join(v for k, v in steps if k == "RUN")
    assert "npm install -g --ignore-scripts @earendil-works/pi-coding-agent" in runs
    for tool in ("bash", "ca-certificates", "git", "ripgrep"):
        assert re.search(rf"\b{tool}\b", runs)
    assert ("ENV", "ANON_PI_STAGE=/opt/anon-pi-seed/agent") in steps
    assert ("WORKDIR", "/projects") in steps
    assert not [k for k, _ in steps if k in ("VOLUME", "COPY", "ADD")]
    assert not [v for _, v in steps if "/root" in v]  # the home is mounted over /root
    assert "models.json" not in runs and "apiKey" not in runs
    run_step(dockerfile, "trust.json", tmp_path, {})
    trust = json.loads((tmp_path / "stage/trust.json").read_text())
    assert trust["/projects"] is True and trust["/work"] is True


def test_basic_has_no_entrypoint():
    assert "ENTRYPOINT" not in [k for k, _ in instructions(BASIC)]


def test_webveil_entrypoint_starts_searxng_then_execs_the_command(tmp_path):
    entry = tmp_path / "entrypoint"
    run_step(WEBVEIL, "anon-pi-webveil-entrypoint", tmp_path,
             {"/usr/local/bin/anon-pi-webveil-entrypoint": str(entry)})
    script = entry.read_text()
    assert [ln for ln in script.splitlines() if ln.strip()][-1] == 'exec "$@"'
    assert "--http-socket /run/searxng/socket" in script and " --socket " not in script
    assert re.search(r'-lt \d+ \]', script)  # the wait for the socket is bounded
    subprocess.run(["sh", "-n", str(entry)], check=True)
    steps = instructions(WEBVEIL)
    assert ("ENTRYPOINT", '["/usr/local/bin/anon-pi-webveil-entrypoint"]') in steps


def test_webveil_searxng_settings_and_extension(tmp_path):
    run_step(WEBVEIL, "limiter", tmp_path, {"/etc/searxng": str(tmp_path / "etc")})
    settings = (tmp_path / "etc/settings.yml").read_text().splitlines()
    assert "  limiter: false" in settings
    formats = settings.index("  formats:")
    assert "    - json" in settings[formats + 1:formats + 3]
    secret = next(ln for ln in settings if "secret_key" in ln)
    assert len(secret.split('"')[1]) == 48
    (tmp_path / "stage").mkdir()
    run_step(WEBVEIL, "webveil.json", tmp_path, {})
    assert (tmp_path / "pi.log").read_text() == "install npm:pi-webveil\n"
    veil = json.loads((tmp_path / "stage/webveil.json").read_text())
    assert veil == {"backend": "searxng", "baseUrl": "unix:/run/searxng/socket",
                    "egress": {"mode": "direct"}}
    runs = "\n".join(v for k, v in instructions(WEBVEIL) if k == "RUN")
    assert 'PI_CODING_AGENT_DIR="$ANON_PI_STAGE" pi install npm:pi-webveil' in runs
    assert "python3 -m venv /opt/searxng/venv" in runs


@pytest.mark.parametrize("dockerfile", [BASIC, WEBVEIL], ids=["pi", "pi-webveil"])
def test_fd_is_installed_under_the_name_pi_looks_for(dockerfile):
    """pi downloads `fd` from GitHub at start when neither `fd` nor `fdfind` is on PATH
    (traffic nobody asked for): Debian's fd-find installs `fdfind`, linked to `fd` for older
    pi too."""
    [apt] = [v for k, v in instructions(dockerfile) if k == "RUN" and "apt-get install" in v]
    assert re.search(r"install\b[^&]*\bfd-find\b", apt) and re.search(r"\bripgrep\b", apt)
    assert "ln -s /usr/bin/fdfind /usr/local/bin/fd" in apt
    assert apt.index("apt-get install") < apt.index("ln -s /usr/bin/fdfind")
