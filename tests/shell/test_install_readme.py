"""The README is a user's first page: its commands must work as written."""

import re
import shlex
import subprocess

from harness_paths import BIN, ROOT

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
    assert "--proxy 'socks5h://127.0.0.1:<relay-port>' --allow 192.168.1.150:8080" in res.stdout
    assert res.stderr.endswith(" through socks5h://127.0.0.1:9050\n")  # the relay's upstream
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


def test_every_readme_section_the_code_points_at_exists():
    """Every `README.md#section` or `(README: Section)` the code sends a user to (doctor's
    fixes, init's verdict, --help) names a heading the README has."""
    anchors = {_anchor(h) for h in re.findall(r"^#{2,6} (.+)$", README, re.MULTILINE)}
    links = []
    for source in sorted((ROOT / "anonpi_helpers").rglob("*.py")):
        text = source.read_text(encoding="utf-8")
        links += [(source.name, a) for a in re.findall(r"README\.md#([\w-]+)", text)]
        links += [(source.name, _anchor(h)) for h in re.findall(r"\(README: ([^)]+)\)", text)]
    assert links  # the code does point at sections
    assert [(name, a) for name, a in links if a not in anchors] == []


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


def _plain(markdown: str) -> str:
    """The words a reader sees: links as their text, no emphasis or code marks."""
    return re.sub(r"[*`]", "", re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", markdown))


def test_install_netcage_section_covers_what_doctor_fails_on():
    """Doctor's fixes point at this section: each host requirement doctor can FAIL on
    (doctor/host_checks.py) is named there, podman with the major version doctor wants, and
    so is the helper doctor's netcage fix asks for beside netcage."""
    from anonpi_helpers.doctor.checks import NETCAGE_INSTALL
    from anonpi_helpers.doctor.host_checks import (
        MIN_PODMAN,
        pasta_check,
        podman_version_check,
        rootless_check,
        subid_check,
        tun_check,
    )

    text = _plain(_section("## Install netcage")).lower()
    fails = [podman_version_check("/usr/bin/podman", "podman version 4.3.1", None),
             rootless_check(0), pasta_check(None), tun_check(1000, "Permission denied", (0o600, 0)),
             subid_check(1000, "someone", 0, 0, "/usr/bin/newuidmap")]
    assert [c.status for c in fails] == ["FAIL"] * len(fails)
    for check in fails:  # its name, or the files its detail names
        named = [check.name.lower(), *re.findall(r"/etc/\w+", check.detail)]
        assert any(word in text for word in named), (check.name, check.detail)
    assert f"podman {MIN_PODMAN[0]}" in text
    [helper] = re.findall(r"`(netcage-[\w-]+)` beside it", NETCAGE_INSTALL)
    assert helper in text


def test_install_netcage_commands_parse_and_fetch_the_netcage_the_hint_names():
    """They download, so they are not run here; each parses as sh and fetches from the
    repository anon-pi's missing-netcage hint names, helper included."""
    from anonpi_helpers.edges.netcage import NOT_FOUND_HINT

    [repo] = re.findall(r"https://(github\.com/[\w-]+/[\w-]+)", NOT_FOUND_HINT)
    blocks = re.findall(r"```sh\n(.*?)```", _section("## Install netcage"), re.DOTALL)
    assert blocks
    for block in blocks:
        assert subprocess.run(["sh", "-n", "-c", block], check=False).returncode == 0, block
        assert repo in block, block
    assert any("netcage-dns" in block for block in blocks)


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
