"""`anon-pi machine ...` as the program runs it (in-process; a `process` test through the real
bin/anon-pi), no TTY, with the stand-in netcage."""

import json
import os

import pytest
from data_verbs_support import make_machine
from tree_digest import tree_digest


def _ok(res):
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    return res


def _refused(cli, *args, words, before=None, code=1):
    """Exit 1 (2: a usage error), one `anon-pi:` line naming the problem, workspace
    byte-identical."""
    before = tree_digest(cli.ws) if before is None else before
    res = cli.run(*args)
    assert res.returncode == code, (res.stdout, res.stderr)
    assert res.stderr.startswith("anon-pi: ")
    assert words in res.stderr.splitlines()[0]
    assert "Traceback" not in res.stderr
    assert tree_digest(cli.ws) == before
    return res


def test_create_pins_trimmed_image_with_exact_bytes(cli):
    res = _ok(cli.run("machine", "create", "box", "--image", "  my/pi:tag "))
    assert (cli.ws / "machines/box/machine.json").read_bytes() == (
        b'{\n\t"image": "my/pi:tag"\n}\n')
    assert os.listdir(cli.ws / "machines/box/home") == []
    assert res.stderr.startswith('anon-pi: created machine "box" with image my/pi:tag at ')
    assert "anon-pi -m box --shell" in res.stderr
    # netcage is on PATH: exactly one label query, nothing else
    assert cli.calls() == [["inspect", "my/pi:tag", "--format", "{{json .Config.Labels}}"]]


def test_create_image_flag_before_name_and_last_wins(cli):
    _ok(cli.run("machine", "create", "--image", "a:1", "box", "--image", "b:2"))
    assert json.loads((cli.ws / "machines/box/machine.json").read_text()) == {"image": "b:2"}


def test_create_without_netcage_skips_provenance(cli):
    cli.no_netcage()
    _ok(cli.run("machine", "create", "box", "--image", "a:1"))
    assert cli.calls() == []


def test_a_usage_error_through_the_real_program(cli):
    """The grammar's refusals are tested row by row in test_machine_units.py; one through the
    real program: exit 2, one line, the hint, nothing called or written."""
    make_machine(cli.ws, "box")
    res = _refused(cli, "machine", "snapshot", "x", words="unknown machine sub-verb: snapshot",
                   code=2)
    assert "hint: see `anon-pi machine" in res.stderr
    assert cli.calls() == []


@pytest.mark.parametrize("args, words", [
    (("create", "a"), "no image and no TTY to prompt; pass --image"),
    (("create", "a", "--image", "two words"), "invalid image ref"),
    (("create", "x" * 300, "--image", "a"), "invalid machine name"),
    (("create", "pi", "--image", "a"), "reserved name"),
    (("create", "a/b", "--image", "a"), "invalid machine name"),
    (("rm", ".."), "invalid machine name"),
])
def test_refusals_past_the_grammar_touch_nothing(cli, args, words):
    """What the command line allows but the verb refuses: exit 1, nothing called or written."""
    make_machine(cli.ws, "box")
    _refused(cli, "machine", *args, words=words, code=1)
    assert cli.calls() == []


@pytest.mark.parametrize("args, first", [
    (("-h",), "anon-pi machine - machines"), (("--help",), "anon-pi machine - machines"),
    (("rm", "box", "--yes", "-h"), "anon-pi machine rm - remove a machine"),
    (("create", "new", "--image", "x", "--help"), "anon-pi machine create - make a machine"),
    (("lst", "--help"), "anon-pi machine - machines")])
def test_help_anywhere_prints_help_and_does_nothing(cli, args, first):
    """The sub-verb's own help when one is named, else the overview."""
    make_machine(cli.ws, "box")
    before = tree_digest(cli.ws)
    res = _ok(cli.run("machine", *args))
    assert res.stdout.startswith(first)
    if args[0] in ("-h", "--help"):
        assert "machine create <name> [-i|--image <ref>]" in res.stdout
    if args[0] in ("-h", "--help", "create"):
        assert "minus its conversations" in res.stdout
    assert tree_digest(cli.ws) == before and cli.calls() == []


@pytest.mark.parametrize("kind", ["dir", "file", "link"])
def test_create_refuses_existing_dir_file_or_link(cli, kind):
    machines = cli.ws / "machines"
    if kind == "dir":
        make_machine(cli.ws, "box", image="keep:1")
    else:
        machines.mkdir(parents=True)
        if kind == "file":
            (machines / "box").write_text("x")
        else:
            (machines / "box").symlink_to(cli.tmp / "nowhere")
    res = _refused(cli, "machine", "create", "box", "--image", "new:2", words="already exists")
    assert "set-image" in res.stderr and "machine rm box" in res.stderr


def test_list_order_images_and_odd_entries(cli):
    m = cli.ws / "machines"
    make_machine(cli.ws, "alpha", image="a:1")
    make_machine(cli.ws, "_x", image=None)
    make_machine(cli.ws, "Zed", image="z:1")
    for name, body in (("garbage", "{nope"), ("array", "[1]"), ("num", '{"image": 5}'),
                       ("tabby", json.dumps({"image": "t\tx\ny"})),
                       ("bom", '\ufeff{"image": "b:1"}')):
        (m / name / "home").mkdir(parents=True)
        (m / name / "machine.json").write_text(body, encoding="utf-8")
    (m / "stray.txt").write_text("x")
    (m / ".trash").mkdir()
    (m / "linked").symlink_to(make_machine(cli.tmp / "outside", "elsewhere", image="l:1"))
    (m / "dangling").symlink_to(cli.tmp / "gone")
    res = _ok(cli.run("machine", "list"))
    assert res.stdout.splitlines() == [
        "Zed\tz:1", "_x\t(no image)", "alpha\ta:1", "array\t(invalid machine.json)",
        "bom\tb:1", "garbage\t(invalid machine.json)", "linked\tl:1", "num\t(no image)",
        'tabby\t"t\\tx\\ny"']


def test_list_empty_workspace(cli):
    res = _ok(cli.run("machine", "list"))
    assert res.stderr.startswith("anon-pi: no machines yet")
    assert "anon-pi machine create <name> --image <ref>" in res.stderr
    assert not cli.ws.exists()


def test_set_image_keeps_projects_and_unknown_keys_and_home(cli):
    folder = make_machine(cli.ws, "box", slugs=("--projects-a--",))
    (folder / "machine.json").write_text(
        '{"zz": [1], "projects": "/p", "image": "old:1", "note": "ü"}')
    home_before = tree_digest(folder / "home")
    res = _ok(cli.run("machine", "set-image", "box", " new:2 "))
    assert (folder / "machine.json").read_text(encoding="utf-8") == (
        '{\n\t"image": "new:2",\n\t"projects": "/p",\n\t"zz": [\n\t\t1\n\t],\n\t"note": "ü"\n}\n')
    assert res.stderr.startswith('anon-pi: re-pinned machine "box" image old:1 -> new:2.')
    assert "WARNING" in res.stderr and "NOT reseeded" in res.stderr
    assert "pi install" in res.stderr and "anon-pi --delete-home box" in res.stderr
    assert res.stdout == ""
    assert tree_digest(folder / "home") == home_before
    assert cli.calls() == []


def test_set_image_fresh_home_and_no_previous_pin(cli):
    folder = make_machine(cli.ws, "box", image=None, seeded=False)
    res = _ok(cli.run("machine", "set-image", "box", "new:2"))
    assert "image (none) -> new:2" in res.stderr
    assert "NOT reseeded" not in res.stderr and "first launch" in res.stderr
    assert (folder / "machine.json").read_bytes() == b'{\n\t"image": "new:2"\n}\n'


def test_set_image_same_ref_changes_nothing(cli):
    folder = make_machine(cli.ws, "box", image="same:1")
    before = tree_digest(cli.ws)
    res = _ok(cli.run("machine", "set-image", "box", "same:1"))
    assert "already pinned" in res.stderr and "WARNING" not in res.stderr
    assert tree_digest(cli.ws) == before and folder.exists()


def test_set_image_refusals(cli):
    _refused(cli, "machine", "set-image", "ghost", "x:1", words='no machine "ghost"')
    (cli.ws / "machines").mkdir(parents=True, exist_ok=True)
    (cli.ws / "machines/afile").write_text("x")
    _refused(cli, "machine", "set-image", "afile", "x:1", words="is not a directory")
    folder = make_machine(cli.ws, "bad")
    (folder / "machine.json").write_text("{broken")
    res = _refused(cli, "machine", "set-image", "bad", "x:1", words="machine.json")
    assert "not a valid JSON object" in res.stderr


def test_rm_without_tty_refuses_and_yes_deletes(cli):
    make_machine(cli.ws, "box", slugs=("--projects-a--",))
    make_machine(cli.ws, "other")
    (cli.ws / "projects/a").mkdir(parents=True)
    res = _refused(cli, "machine", "rm", "box", words="without a TTY")
    assert "--yes" in res.stderr
    res = _ok(cli.run("machine", "rm", "box", "-y"))
    assert res.stderr.startswith('anon-pi: removed machine "box" (')
    assert not (cli.ws / "machines/box").exists()
    assert (cli.ws / "machines/other/home").is_dir() and (cli.ws / "projects/a").is_dir()


def test_rm_unknown_machine(cli):
    _refused(cli, "machine", "rm", "ghost", "--yes", words="nothing to remove")


def test_rm_symlinked_machine_folder_removes_only_the_link(cli):
    outside = cli.tmp / "outside"
    make_machine(outside, "real", slugs=("--projects-a--",))
    (cli.ws / "machines").mkdir(parents=True)
    (cli.ws / "machines/box").symlink_to(outside / "machines/real")
    before = tree_digest(outside)
    res = _ok(cli.run("machine", "rm", "box", "--yes"))
    assert "only the link was removed" in res.stderr
    assert not os.path.lexists(cli.ws / "machines/box")
    assert tree_digest(outside) == before


def test_real_home_is_untouched(cli):
    _ok(cli.run("machine", "create", "box", "--image", "a:1"))
    assert not (cli.home / ".anon-pi").exists()
