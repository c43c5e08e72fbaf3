"""The pure doctor verdicts: exact line shapes and edge cases."""

import pytest

from anonpi_helpers.doctor.checks import (
    Check,
    exit_code,
    image_check,
    netcage_check,
    render,
)
from anonpi_helpers.doctor.jail_view import Mount, mount_rows, proxy_row, temp_row


def test_render_shapes():
    assert render(Check("ok", "podman", "/usr/bin/podman", "never shown")) == (
        "ok   podman: /usr/bin/podman\n")
    assert render(Check("FAIL", "podman", "not found on PATH", "install podman")) == (
        "FAIL podman: not found on PATH\n  fix: install podman\n")
    assert render(Check("warn", "host identity", "x", "move it")) == (
        "warn host identity: x\n  fix: move it\n")


def test_only_fail_fails():
    assert exit_code([Check("ok", "a", ""), Check("warn", "b", "")]) == 0
    assert exit_code([Check("ok", "a", ""), Check("FAIL", "b", "")]) == 1


@pytest.mark.parametrize("version, status", [
    ("netcage 0.11.0", "ok"), ("netcage 0.10.9", "FAIL"), ("netcage v0.9.9", "FAIL"),
    ("0.12.3-rc1", "ok"),
    ("", "ok"), ("netcage dev", "ok"),
])
def test_netcage_version_floor(version, status):
    assert netcage_check("/bin/netcage", version).status == status


def test_image_check_says_what_the_store_answered():
    assert image_check("m", "a/b", (True, "")).status == "ok"
    assert image_check("m", "a/b:2", (False, "")).detail == "a/b:2 is not in netcage's image store"
    failed = image_check("m", "a/b", (None, "`podman ...` failed (exit 1): x"))
    assert failed.status == "FAIL" and failed.detail == (
        "a/b: cannot ask netcage's image store: `podman ...` failed (exit 1): x")
    assert image_check("m", "a/b", (False, ""), default=False).status == "warn"


def test_jail_view_flags_each_leaking_source_with_its_fix():
    rows = mount_rows([Mount("/root", "/home/zed/.anon-pi/machines/default/home", True),
                       Mount("/projects", "/srv/projects", False),
                       Mount("/work", "/data/zed/code", False)], "zed", "/home/zed")
    assert [(r.status, r.name) for r in rows] == [
        ("warn", "jail sees /root"), ("ok", "jail sees /projects"), ("warn", "jail sees /work")]
    assert rows[0].detail == ("/home/zed/.anon-pi/machines/default/home shows your login name "
                              "or home path (/proc/self/mountinfo)")
    assert "`sudo install -d -o zed -m 700 /srv/anon-pi`" in rows[0].fix
    assert rows[2].fix.startswith("point `projects` in config.json")
    assert rows[1].detail == "/srv/projects"


def test_netcage_temp_row_names_the_replacement():
    assert temp_row("/tmp", None).detail.startswith("/tmp (")
    row = temp_row("/home/zed/tmp", "/tmp/anon-pi-tmp-1000")
    assert row.status == "ok" and "TMPDIR=/tmp/anon-pi-tmp-1000 (mode 700)" in row.detail


def test_effective_proxy_masks_the_password():
    assert proxy_row("socks5h://127.0.0.1:9050", "machine", "work").detail == (
        "socks5h://anonpi-work:***@127.0.0.1:9050 (isolation machine: this machine gets its "
        "own Tor circuits)")
    assert proxy_row("socks5h://me:secret@h:1080", "machine", "work").detail.startswith(
        "socks5h://me:***@h:1080 (isolation machine: your URL has its own credentials")
    assert proxy_row("socks5h://h:1080", "none", "w").detail.startswith("socks5h://h:1080 (")


def test_the_readme_explains_each_host_failure_and_the_links_resolve():
    """Every FAIL or warn a real-jail check prints has its line in README's Troubleshooting,
    and the README sections the fix lines link to exist."""
    import re

    from harness_paths import ROOT

    from anonpi_helpers.doctor import checks, host_checks

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    anchors = {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-")
               for h in re.findall(r"^## (.+)$", readme, re.MULTILINE)}
    for link in {host_checks.HOW_TO, host_checks.INSTALL, "README.md#install-netcage"}:
        assert link.split("#")[1] in anchors, link
    assert "README.md#install-netcage" in checks.NETCAGE_INSTALL
    section = readme.split("## Troubleshooting", 1)[1].split("\n## ", 1)[0]
    rows = ("FAIL netcage:", "FAIL netcage config", "FAIL podman", "FAIL rootless", "FAIL pasta",
            "FAIL /dev/net/tun", "FAIL subordinate ids", "warn netcage images", "FAIL image",
            "a split-tunnel allowlisted direct did not answer on the LAN: 127.0.0.1:P")
    for row in rows:
        assert f"**`{row}" in section, row
