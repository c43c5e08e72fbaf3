"""Nothing lost: a writer SIGKILLed in the middle of writing config.json,
machine.json or models.json leaves the old file or the new one, never a torn one.

The file can change only where the write renames its finished temporary copy over it, so a
writer parked on either side of that rename, and before the data is synced, meets every state
a kill at a random moment could leave; the next write then completes over what was left."""

import json
import signal
import subprocess
import sys

import pytest
from harness_paths import ROOT

# A child that writes one file through the real workspace edge and parks at `stage`
# (os.fsync / os.rename wrapped) until it is killed.
WRITER = r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from anonpi_helpers.edges import workspace

root, target, stage, size = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
real_fsync, real_rename = os.fsync, os.rename

def park(tag):
    if tag == stage:
        print("at", tag, flush=True)
        time.sleep(120)

def fsync(fd):
    park("before-fsync")
    real_fsync(fd)

def rename(*args, **kwargs):  # the atomic write renames relative to the folder's fd
    park("before-replace")
    real_rename(*args, **kwargs)
    park("after-replace")

os.fsync, os.replace, os.rename = fsync, rename, rename
ws = workspace.Workspace(Path(root))
new = {"proxy": "socks5h://127.0.0.1:1080", "llm": "10.0.0.2:8080", "pad": "n" * size}
if target == "config":
    ws.write_config(new)
elif target == "machine":
    ws.write_machine("default", {"image": "new:1", "pad": "n" * size})
elif target == "models":
    workspace.write_text_atomic(ws.global_models,
                                json.dumps({"providers": {}, "pad": "n" * size}), 0o600)
park("done")
"""

PATHS = {"config": "config.json", "machine": "machines/default/machine.json",
         "models": "models.json"}


def start_writer(ws, target, stage, size=200_000):
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(ROOT), str(ws), target, stage, str(size)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill(proc) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()


@pytest.mark.parametrize("target", sorted(PATHS))
@pytest.mark.parametrize("stage, survivor", [
    ("before-fsync", "old"),  # the temp file holds unsynced new bytes
    ("before-replace", "old"),  # the temp file is complete, not yet renamed
    ("after-replace", "new"),  # renamed, the process dies before returning
])
def test_killed_writer_leaves_old_or_new(tmp_path, target, stage, survivor):
    ws = tmp_path / "ws"
    path = ws / PATHS[target]
    path.parent.mkdir(parents=True)
    old = json.dumps({"old": True, "image": "old:1"}, indent="\t") + "\n"
    path.write_text(old)
    proc = start_writer(ws, target, stage)
    assert proc.stdout.readline().strip() == f"at {stage}", proc.stderr.read()
    kill(proc)
    text = path.read_text()
    value = json.loads(text)  # never torn: always a whole JSON document
    if survivor == "old":
        assert text == old
    else:
        assert value.get("pad", "").startswith("n") and len(value["pad"]) == 200_000
    leftovers = [p.name for p in path.parent.iterdir() if p.name != path.name
                 and p.name != "machines"]
    assert all(n.startswith(f".{path.name}.") and n.endswith(".tmp") for n in leftovers)
    proc = start_writer(ws, target, "done")  # the next write, over what the kill left
    assert proc.stdout.readline().strip() == "at done", proc.stderr.read()
    kill(proc)
    assert len(json.loads(path.read_text())["pad"]) == 200_000
