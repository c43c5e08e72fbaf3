"""The README is a user's first page: its commands must work as written."""

import re
import shlex
import subprocess

from conftest import BIN, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_setup_commands_come_first():
    first_block = re.search(r"```sh\n(.*?)```", README, re.DOTALL).group(1)
    assert [line.split("#")[0].strip() for line in first_block.splitlines()] == [
        "make install", "make test"]


def test_dry_run_example_works_without_netcage(tmp_path):
    block = re.search(r"```sh\n(ANON_PI_PROXY=.*?)```", README, re.DOTALL).group(1)
    words = shlex.split(block.replace("\\\n", " "))
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    env.update(w.split("=", 1) for w in words if re.match(r"[A-Z_]+=", w))
    argv = [w for w in words if not re.match(r"[A-Z_]+=", w)]
    assert argv == ["anon-pi", "--dry-run", "myproject", "-p", "hi"]
    res = subprocess.run([BIN, *argv[1:]], env=env, check=False, capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("netcage run --label anon-pi.key=")
    assert "--proxy socks5h://127.0.0.1:9050 --allow 192.168.1.150:8080" in res.stdout
    assert list(tmp_path.iterdir()) == []  # creates nothing


def test_completion_timing_hook_runs(tmp_path):
    block = re.search(r"```sh\n(bash --norc -c .*?)```", README, re.DOTALL).group(1)
    (tmp_path / "ws" / "projects" / "recon").mkdir(parents=True)
    res = subprocess.run(["bash", "-c", block], cwd=ROOT, check=False, capture_output=True,
                         text=True,
                         env={"PATH": "/usr/bin:/bin", "ANON_PI_HOME": str(tmp_path / "ws")},
                         timeout=30)
    offered, stamps = res.stdout.splitlines()
    assert offered == "recon ."
    start, end = map(float, stamps.split())
    assert end >= start


def test_readme_sections():
    for heading in ("## Install netcage", "## What goes where", "## Common tasks",
                    "## Shell completion",
                    "## Scripting with `inv`", "## What leaves your machine", "## Anonymity",
                    "## The workspace", "## Speed"):
        assert heading in README
    assert "```mermaid" in README and "ANON_PI_HOME=/srv/anon-pi" in README


def test_every_invoke_task_is_in_the_readme():
    import tasks

    for name in tasks.ns.tasks:
        assert f"`anon-pi-inv {name}" in README, name
    for name in tasks.ns.task_names:
        if "." in name:
            assert f"`{name}`" in README or f"`anon-pi-inv {name}" in README, name
    assert "`inv " not in README  # the README names the command make install links


def _section(heading: str) -> str:
    start = README.index(heading)
    end = README.find("\n## ", start + 1)
    return README[start:end if end != -1 else None]


def test_no_placeholder_links():
    for url in re.findall(r"\]\((https?://[^)]*)\)", README):
        assert re.match(r"https://github\.com/[\w.-]+/[\w.-]+|https://(?!github\.com)", url), url
    assert "https://github.com/)" not in README


def test_install_netcage_section_says_what_netcage_needs():
    text = _section("## Install netcage")
    for words in ("github.com/wighawag/netcage", "netcage 0.11 or newer", "0.12 or newer",
                  "loopback", "rootless [Podman](https://podman.io/) 5", "pasta",
                  "`/dev/net/tun`", "netcage-dns"):
        assert words in text, words
    blocks = re.findall(r"```sh\n(.*?)```", text, re.DOTALL)
    assert blocks == [
        "curl -fsSL https://github.com/wighawag/netcage/releases/latest/download/install.sh | sh\n",
        ("go install github.com/wighawag/netcage@latest\n"
         "CGO_ENABLED=0 go install github.com/wighawag/netcage/cmd/netcage-dns@latest\n")]
    for block in blocks:  # they download, so they are not run here; they must parse
        assert subprocess.run(["sh", "-n", "-c", block], check=False).returncode == 0


def test_netcage_not_found_hint_points_at_that_section():
    from anonpi_helpers.edges.netcage import NOT_FOUND_HINT

    [section] = re.findall(r'"([^"]+)" section', NOT_FOUND_HINT)
    assert f"\n## {section}\n" in README
    assert "https://github.com/wighawag/netcage" in NOT_FOUND_HINT
    assert "(#install-netcage)" in README  # the first-launch paragraph links it too


def test_inv_commands_run_verbatim_from_a_folder_with_its_own_tasks(tmp_path):
    """The README's `anon-pi-inv` block, as written, from a user's own Invoke project."""
    block = re.search(r"```sh\n(anon-pi-inv --list.*?)```", README, re.DOTALL).group(1)
    (tmp_path / "tasks.py").write_text("from invoke import task\n\n\n@task\ndef mine(c):\n"
                                       "    print('mine')\n")
    env = {"PATH": f"{ROOT / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    res = subprocess.run(["bash", "-e", "-c", block], cwd=tmp_path, env=env, check=False,
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert "  snapshot " in res.stdout and "  machine.create " in res.stdout
    assert "mine" not in res.stdout
    assert "Usage: anon-pi-inv [--core-opts] snapshot [--options]" in res.stdout


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_inside_the_readme_lands_on_a_heading():
    headings = re.findall(r"^#{2,4} (.+)$", README, re.MULTILINE)
    anchors = {_anchor(h) for h in headings}
    assert "set-up-traffic" in anchors and "what-leaves-your-machine" in anchors
    links = re.findall(r"\]\(#([^)]+)\)", README)
    assert links and sorted(set(links) - anchors) == []


def test_prose_fits_in_100_columns():
    """Paragraphs are wrapped like the code (tables and code blocks keep their own lines)."""
    fence, long = False, []
    for number, line in enumerate(README.splitlines(), 1):
        if line.startswith("```"):
            fence = not fence
        elif not fence and not line.startswith("|") and len(line) > 100:
            long.append(number)
    assert long == [], f"README lines over 100 columns: {long}"
