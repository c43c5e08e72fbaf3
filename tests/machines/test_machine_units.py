"""Pure parts of the machine and data verbs: grammar, rows, wording, file bytes."""

import pytest
from command_line_support import parsed

from anonpi_helpers.core.carry_over_plan import (
    ROOT_LABEL,
    group_rows,
    source_from_labels,
    source_problem,
    wants_copy,
)
from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.core.resolve import check_image_ref
from anonpi_helpers.edges.workspace import Workspace
from anonpi_helpers.machines.delete_plan import (
    folder_phrase,
    home_done,
    project_done,
    project_prompt,
    would_remove,
)
from anonpi_helpers.machines.listing import image_cell, list_lines


@pytest.mark.parametrize("argv, want", [
    (["create", "x", "--image", " my/pi:tag "], ("create", "x", "my/pi:tag")),
    (["create", "--image", "a", "x"], ("create", "x", "a")),
    (["create", "x", "-i", "a", "--image=b"], ("create", "x", "b")),
    (["create", "x"], ("create", "x", None)),
    (["list"], ("list", None, None)),
    (["set-image", "x", " r:1 "], ("set-image", "x", "r:1")),
    (["rm", "x"], ("rm", "x", None)),
    (["create", "PI", "--image", "a"], ("create", "PI", "a")),
    (["create", "Ünïcødé", "--image", "a"], ("create", "Ünïcødé", "a")),
])
def test_machine_grammar_accepts(argv, want):
    line = parsed("machine", *argv)
    assert (line.sub, getattr(line, "name", None), getattr(line, "image", None)) == want


def test_machine_switches():
    assert parsed("machine", "rm", "-y", "x").yes and parsed("machine", "rm", "x", "--yes").yes
    assert not parsed("machine", "rm", "x").yes
    assert parsed("machine", "rm", "x", "--dry-run").dry_run
    assert parsed("machine", "list", "--json").json and not parsed("machine", "list").json


@pytest.mark.parametrize("argv, words", [
    ([], "machine needs a sub-verb: create | list | set-image | rm"),
    (["snapshot", "x"], "unknown machine sub-verb: snapshot"),
    (["list", "x"], "machine list takes no arguments, got extra: x"),
    (["create"], "machine create needs <name>"),
    (["create", "a", "b"], "got extra: b"),
    (["create", "a", "b", "--image", "x"], "machine create takes <name>, got extra: b"),
    (["create", "a", "--image"], "--image needs an image ref"),
    (["create", "a", "--image", ""], "--image needs a non-blank image ref"),
    (["create", "a", "-x"], "unknown option for machine create: -x"),
    (["set-image"], "machine set-image needs <machine> and <ref>"),
    (["set-image", "x"], "machine set-image needs <ref>"),
    (["set-image", "x", "  "], "needs a non-blank image ref"),
    (["set-image", "x", "a", "b"], "got extra: b"),
    (["set-image", "x", "-ref"], "unknown option for machine set-image: -ref"),
    (["rm"], "machine rm needs <machine>"),
    (["rm", "a", "b"], "got extra: b"),
    (["rm", "a", "--force"], "unknown option for machine rm: --force"),
])
def test_machine_grammar_refuses(argv, words):
    with pytest.raises(AnonPiError) as exc:
        parsed("machine", *argv)
    assert words in exc.value.message
    assert exc.value.code == 2
    assert "anon-pi machine" in exc.value.hint and "--help" in exc.value.hint


@pytest.mark.parametrize("name", [".", "..", "...", ".hidden", "a/b", "a\\b", "a:b", "",
                                  " a", "a\tb", "a\u00a0b", "a\ufeffb", "x" * 300, "pi",
                                  "machine", "image", "init", "forward", "ports", "doctor",
                                  "completions"])
@pytest.mark.parametrize("sub", ["create", "set-image", "rm"])
def test_machine_names_checked_before_io(sub, name):
    with pytest.raises(AnonPiError) as exc:
        parsed("machine", *([sub, name, "ref"] if sub == "set-image" else [sub, name]))
    assert exc.value.message.startswith("invalid machine name")
    assert exc.value.code == 1


def test_names_are_checked_left_to_right():
    with pytest.raises(AnonPiError) as exc:
        parsed("machine", "create", "pi", "--bogus")
    assert "invalid machine name" in exc.value.message


@pytest.mark.parametrize("ref", ["a b", "a\tb", "a\nb", "a\x7fb"])
def test_image_ref_without_whitespace_or_control(ref):
    with pytest.raises(AnonPiError):
        check_image_ref(ref)


def test_list_rows_order_and_tsv_shape():
    rows = [("alpha", "a"), ("_x", image_cell(None)), ("Zed", image_cell("t\tab\nnl"))]
    lines = list_lines(rows)
    assert [line.split("\t")[0] for line in lines] == ["Zed", "_x", "alpha"]
    assert lines[1] == "_x\t(no image)"
    assert lines[0] == 'Zed\t"t\\tab\\nnl"'
    assert all(line.count("\t") == 1 and "\n" not in line for line in lines)


def test_machine_json_bytes(tmp_path):
    ws = Workspace(tmp_path)
    ws.write_machine("m", {"image": "my/pi:tag"})
    assert ws.machine_json("m").read_bytes() == b'{\n\t"image": "my/pi:tag"\n}\n'
    ws.write_machine("m", {"zz": 1, "projects": "/p", "image": "x"})
    assert ws.machine_json("m").read_text() == (
        '{\n\t"image": "x",\n\t"projects": "/p",\n\t"zz": 1\n}\n')


@pytest.mark.parametrize("text, want", [
    ('{"anon-pi.source-machine": " recon "}', "recon"),
    ('{"anon-pi.source-machine": ""}', None),
    ('{"anon-pi.source-machine": 5}', None),
    ("null", None), ("<no value>", None), ("garbage{", None), ("[1]", None), ("", None),
    ('{"other": "x"}', None),
])
def test_source_from_labels(text, want):
    assert source_from_labels(text) == want


@pytest.mark.parametrize("source", ["../..", "a/b", "pi", ".x", "x" * 200])
def test_invalid_sources_are_no_provenance(source):
    assert "not a valid machine name" in source_problem(source, "new")


def test_self_provenance_is_refused():
    assert "the new machine itself" in source_problem("new", "new")
    assert source_problem("recon", "new") is None


def test_group_rows_named_first_then_orphans_case_insensitive():
    slugs = ["--projects-zeta--", "--projects-Alpha--", "--projects--", "--projects-gone--",
             "--work-alpha--", "--projects-beta--", "--Projects-old--"]
    projects = ["beta", "zeta", "Alpha", ".git", "my notes", ".DS_Store"]
    rows = group_rows(slugs, projects)
    assert [label for _, label in rows] == [
        ROOT_LABEL, "Alpha", "beta", "zeta",
        "--projects-gone--  (no current project folder)",
        "--Projects-old--  (no current project folder)",
        "--work-alpha--  (no current project folder)",
    ]
    assert rows[0] == ("--projects--", ROOT_LABEL)  # picking the root row copies its sessions


def test_group_rows_ignore_invalid_project_entries():
    rows = group_rows(["--projects-my notes--"], ["my notes"])
    assert rows == [("--projects-my notes--",
                     "--projects-my notes--  (no current project folder)")]


@pytest.mark.parametrize("answer, copy", [
    ("c", True), ("C", True), ("copy", True), (" COPY ", True), ("cop", False),
    ("", False), ("s", False), (None, False), ("yes", False)])
def test_wants_copy(answer, copy):
    assert wants_copy(answer) is copy


def test_delete_tail_grammar():
    assert parsed("--delete-home").machine is None
    line = parsed("--delete-home", "-y", "box")
    assert (line.machine, line.yes, line.dry_run) == ("box", True, False)
    assert parsed("--dry-run", "--delete-project", "p").dry_run
    with pytest.raises(AnonPiError, match="unknown option for --delete-home: --mount"):
        parsed("--delete-home", "--mount")
    with pytest.raises(AnonPiError, match="got extra: b"):
        parsed("--delete-project", "a", "b")
    with pytest.raises(AnonPiError, match="--delete-project needs <project>"):
        parsed("--delete-project")
    with pytest.raises(AnonPiError, match="invalid project name"):
        parsed("--delete-project", ".")


def test_dry_run_lines_say_what_and_where():
    assert would_remove("/w/m/box", 'machine "box"') == 'would remove /w/m/box (machine "box")'
    assert would_remove("/r/p", "x", link=True).endswith(
        "(x; a link: only the link goes, its target is kept)")


def test_delete_wording_never_claims_missing_things():
    prompt = project_prompt("p", folder_phrase("/r/p", "absent"), 2)
    assert prompt == ('Delete project "p": no project folder (/r/p does not exist) and 2 '
                      "per-machine session dir(s)? [y/N] ")
    assert project_prompt("p", folder_phrase("/r/p", "dir"), 0) == (
        'Delete project "p": its files (/r/p) and 0 per-machine session dir(s)? [y/N] ')
    assert "target is kept" in folder_phrase("/r/p", "link", "/src")
    assert "files" not in project_done("p", "absent", 1)
    assert "files + 1" in project_done("p", "dir", 1)
    assert "is kept" not in home_done("m", "/h", None, False)
    assert "image pin (x:1) is kept" in home_done("m", "/h", "x:1", False)
