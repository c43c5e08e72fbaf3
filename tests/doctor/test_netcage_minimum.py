"""Which netcage anon-pi needs is said one way everywhere: the README, doctor's verdict and its
fix, the missing-netcage hint and the loopback refusals all come from core/netcage_version.py."""

import re

import pytest
from harness_paths import ROOT

from anonpi_helpers.core.addresses import check_llm_generation
from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.core.netcage_version import LOOPBACK_NETCAGE, MIN_NETCAGE, release
from anonpi_helpers.doctor.checks import netcage_check
from anonpi_helpers.edges.netcage import NOT_FOUND_HINT
from anonpi_helpers.init.verdict import NETCAGE_FIX


def _readme_needs() -> tuple[str, str]:
    """The two versions the README's "Install netcage" section names."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Install netcage\n", 1)[1].split("\n## ", 1)[0]
    flat = " ".join(section.split())
    found = re.search(r"anon-pi needs \*\*netcage (\d+\.\d+) or newer\*\*, and \*\*(\d+\.\d+) or "
                      r"newer\*\* for a model on the host's loopback", flat)
    assert found, "the README no longer says which netcage anon-pi needs"
    return found[1], found[2]


def test_the_readme_names_the_versions_anon_pi_checks():
    assert (release(MIN_NETCAGE), release(LOOPBACK_NETCAGE)) == ("0.11", "0.12")
    assert _readme_needs() == (release(MIN_NETCAGE), release(LOOPBACK_NETCAGE))


def test_doctor_fails_below_the_minimum_and_its_fix_names_both_versions():
    major, minor, _ = MIN_NETCAGE
    below = netcage_check("/bin/netcage", f"netcage {major}.{minor - 1}.9")
    assert below.status == "FAIL"
    assert f"older than {release(MIN_NETCAGE)}," in below.detail
    assert below.fix.startswith(f"install netcage {release(MIN_NETCAGE)} or newer "
                                f"({release(LOOPBACK_NETCAGE)} or newer for a model on the host's "
                                "loopback;")
    assert netcage_check("/bin/netcage", f"netcage {major}.{minor}.0").status == "ok"
    assert netcage_check(None, None).fix == below.fix


def test_every_other_word_on_the_version_agrees():
    assert f"netcage {release(MIN_NETCAGE)} or newer" in NOT_FOUND_HINT
    assert NETCAGE_FIX.startswith(f"install netcage {release(LOOPBACK_NETCAGE)} or newer")
    with pytest.raises(AnonPiError, match=f"needs netcage {release(LOOPBACK_NETCAGE)} or newer"):
        check_llm_generation("127.0.0.1:8080", loopback_ok=False)
