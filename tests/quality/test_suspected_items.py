"""Weaknesses suspected in a review of what hostile input (jail-written files, odd names and
values) could do, each confirmed by a test that failed before the fix
(the race-based ones live in tests/machines/test_race_walker.py and
tests/edges/test_foreground_signals.py)."""

import os
import stat

from anonpi_helpers.edges import workspace
from anonpi_helpers.edges.workspace import Workspace, write_text_atomic
from anonpi_helpers.init.models_listing import configured_models, matching_provider


def test_only_documented_model_keys_reach_the_seed():
    doc = {"providers": {"local": {"baseUrl": "http://127.0.0.1:8080/v1", "models": [{
        "id": "qwen", "contextWindow": 32768, "cost": {"input": 0},
        "headers": {"Authorization": "Bearer sk-host-secret"},
        "baseUrl": "https://api.example.com/v1", "api": "anthropic-messages",
        "apiKey": "sk-host-secret", "x-private": "!cat ~/.ssh/id_rsa"}]}}}
    assert configured_models(matching_provider(doc, "127.0.0.1:8080")) == [
        {"id": "qwen", "contextWindow": 32768, "cost": {"input": 0}}]


def _seeded_home(tmp_path, marker_target=None):
    agent = tmp_path / "ws/machines/m/home/.pi/agent"
    agent.mkdir(parents=True)
    if marker_target is None:
        (agent / ".anon-pi-seed").write_text("1\n")
    else:
        (agent / ".anon-pi-seed").symlink_to(marker_target)
    return Workspace(tmp_path / "ws")


def test_a_link_at_the_seed_marker_means_not_seeded(tmp_path):
    outside = tmp_path / "outside-marker"
    outside.write_text("1\n")
    assert _seeded_home(tmp_path / "a").is_seeded("m")
    assert not _seeded_home(tmp_path / "b", outside).is_seeded("m")


def test_a_linked_agent_folder_means_not_seeded(tmp_path):
    real = tmp_path / "elsewhere/agent"
    real.mkdir(parents=True)
    (real / ".anon-pi-seed").write_text("1\n")
    (tmp_path / "ws/machines/m/home/.pi").mkdir(parents=True)
    (tmp_path / "ws/machines/m/home/.pi/agent").symlink_to(real)
    assert not Workspace(tmp_path / "ws").is_seeded("m")


def test_dash_i_on_a_home_with_a_linked_marker_is_refused(cli):
    cli.configure()
    agent = cli.ws / "machines/default/home/.pi/agent"
    agent.mkdir(parents=True)
    (cli.tmp / "marker").write_text("1\n")
    (agent / ".anon-pi-seed").symlink_to(cli.tmp / "marker")
    res = cli.run("--dry-run", "-i", "other:1", "p", "-p", "x")
    assert res.returncode == 1
    assert "-i only runs an image on an already-seeded home" in res.stderr


def test_the_folder_is_fsynced_after_the_atomic_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_rename = os.fsync, os.rename

    def fsync(fd):
        events.append("fsync-dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync-file")
        real_fsync(fd)

    def rename(*args, **kwargs):
        events.append("rename")
        real_rename(*args, **kwargs)

    monkeypatch.setattr(workspace.os, "fsync", fsync)
    monkeypatch.setattr(workspace.os, "rename", rename)
    monkeypatch.setattr(workspace.os, "replace", rename)
    write_text_atomic(tmp_path / "config.json", "{}\n")
    assert events == ["fsync-file", "rename", "fsync-dir"]
    assert (tmp_path / "config.json").read_text() == "{}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["config.json"]
