"""An echoed run (netcage verify, an image build) is shown whole as it runs, but anon-pi keeps
only its tail for the caller: a RUN step that prints hundreds of MiB must not be held in
memory, and a failed build's report still says at which STEP it stopped."""

import sys

from anonpi_helpers.edges import netcage_live
from anonpi_helpers.edges.real_io import real_context
from anonpi_helpers.init import image_step

STEP_LINE = "STEP 3/7: RUN npm install\n"
NOISE = "x" * 99 + "\n"
LINES = 30_000  # about 3 MB


def _noisy(tmp_path):
    exe = tmp_path / "builder"
    exe.write_text(f"#!{sys.executable}\nimport sys\nw = sys.stdout.write\n"
                   f"w({STEP_LINE!r})\nfor _ in range({LINES}): w({NOISE!r})\n"
                   "w('Error: exit status 1\\n')\nsys.exit(1)\n", encoding="utf-8")
    exe.chmod(0o755)
    return str(exe)


def test_the_output_is_echoed_whole_but_only_its_tail_is_kept(tmp_path, capsys):
    code, text = netcage_live.run_echoed(real_context(), [], _noisy(tmp_path))
    echoed = capsys.readouterr().out
    assert code == 1
    assert echoed.count(NOISE) == LINES and echoed.startswith(STEP_LINE)
    assert len(text) <= netcage_live.ECHO_TAIL
    assert text.endswith(NOISE + "Error: exit status 1\n")
    assert STEP_LINE not in text


def test_a_failed_build_still_names_its_step(tmp_path, capsys):
    assert not image_step._built("localhost/anon-pi/pi:latest", _noisy(tmp_path), [],
                                 "podman build", {})
    report = capsys.readouterr().err
    assert report.startswith("anon-pi: building localhost/anon-pi/pi:latest failed at "
                             "STEP 3/7: RUN npm install (`podman build`, exit 1)")
    assert report.rstrip().endswith("    Error: exit status 1")

