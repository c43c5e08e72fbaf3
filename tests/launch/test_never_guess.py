"""Never guess: typos of verbs, sub-verbs and flags are refused with the word meant (exit 2);
`-m` names an existing machine; `--mount` an existing folder; nothing is created."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from launch_support import no_traceback, relay_note
from tree_digest import tree_digest

from anonpi_helpers.core.command_line import first_words
from anonpi_helpers.core.command_table import COMMANDS
from anonpi_helpers.core.verbs import edit_distance, flag_typo, nearest, verb_typo


@pytest.mark.parametrize("a, b, d", [
    ("machnie", "machine", 1), ("doctr", "doctor", 1), ("imgae", "image", 1),
    ("forwad", "forward", 1), ("prots", "ports", 1), ("intt", "init", 1),
    ("ab", "ba", 1), ("ca", "abc", 3), ("", "abc", 3), ("kitten", "sitting", 3),
])
def test_edit_distance_counts_a_swap_as_one(a, b, d):
    assert edit_distance(a, b) == d == edit_distance(b, a)


@given(st.text(max_size=8), st.text(max_size=8))
def test_edit_distance_is_a_bounded_symmetric_measure(a, b):
    d = edit_distance(a, b)
    assert d == edit_distance(b, a)
    assert abs(len(a) - len(b)) <= d <= max(len(a), len(b))
    assert (d == 0) == (a == b)


@given(st.text("abcde", max_size=7), st.lists(st.text("abcde", max_size=9), max_size=8),
       st.none() | st.integers(0, 3))
def test_nearest_is_the_first_closest_word_within_the_limit(word, known, max_edits):
    """Words whose lengths alone put them out of reach are never measured: the answer is
    still the first known word at the least distance, within the allowed edits."""
    limit = (2 if len(word) >= 6 else 1) if max_edits is None else max_edits
    best = min(((edit_distance(word, k), i) for i, k in enumerate(known)), default=None)
    expected = known[best[1]] if best is not None and best[0] <= limit else None
    if word in known:  # an exact match is no typo
        expected = None
    assert nearest(word, known, max_edits) == expected


@pytest.mark.parametrize("word, verb", [
    ("machnie", "machine"), ("doctr", "doctor"), ("imgae", "image"), ("forwad", "forward"),
    ("prots", "ports"), ("intt", "init"), ("hepl", "help"), ("verison", "version"),
    ("machin", "machine"), ("complet1ons", "completions"), ("mahcine", "machine"),
    ("machinery", "machine"), ("portal", "ports"),  # 6+ characters: two edits still count
])
def test_first_word_typos(word, verb):
    assert verb_typo(word, first_words()) == verb


@pytest.mark.parametrize("word", [
    "api", "web", "cli", "pi", "p", "ip", "pii", "recon", "notes", "docs", "info", "site",
    "shell", "hello", "list", "Dockerfile", "machineries", "-m",
])
def test_real_project_names_are_not_verbs(word):
    assert verb_typo(word, first_words()) is None


def test_every_table_verb_is_a_candidate():
    assert {c.words[0] for c in COMMANDS if c.words} == set(first_words())
    assert {"help", "version", "machine", "--delete-home"} <= set(first_words())


def test_sub_verbs_and_flags():
    assert nearest("lst", ("create", "list", "set-image", "rm")) == "list"
    assert nearest("set-imgae", ("create", "list", "set-image", "rm")) == "set-image"
    assert nearest("zzz", ("create", "list")) is None
    assert flag_typo("--dryrun", ("--dry-run", "--mount")) == "--dry-run"
    assert flag_typo("--mout", ("--dry-run", "--mount")) == "--mount"
    assert flag_typo("-x", ("-m", "-i")) is None  # every short flag is one edit from another
    assert flag_typo("--bogus", ("--dry-run", "--mount")) is None
    assert flag_typo("--dry", ("--dry-run", "--mount")) == "--dry-run"
    assert flag_typo("--Mount", ("--dry-run", "--mount")) == "--mount"
    # a known flag is no typo of a longer one it begins
    assert flag_typo("--session", ("--session", "--session-id")) is None


def _refused(cli, *argv, code=1, **env):
    before = tree_digest(cli.tmp)
    res = cli.run(*argv, **env)
    assert res.returncode == code, res.stderr
    no_traceback(res)
    assert res.stdout == ""
    assert tree_digest(cli.tmp) == before
    assert cli.run_calls() == []
    return res.stderr.splitlines()


@pytest.mark.parametrize("argv, verb", [
    (["machnie", "list"], "machine"), (["doctr", "-p", "hi"], "doctor"), (["imgae"], "image"),
    (["forwad"], "forward"), (["prots"], "ports"), (["intt"], "init"),
    (["--dry-run", "machnie", "list"], "machine"), (["--shell", "prots"], "ports"),
])
def test_typo_of_a_verb_launches_nothing(cli, argv, verb):
    cli.configure()
    word = next(a for a in argv if not a.startswith("-"))
    lines = _refused(cli, *argv, code=2)
    assert lines[0] == f'anon-pi: no verb "{word}"; did you mean `{verb}`?'
    assert lines[1] == (f'  hint: to start a project named "{word}" on purpose, create its '
                        f"folder first: `mkdir -p {cli.ws}/projects/{word}`, then "
                        f"`anon-pi {word}`")


def test_typo_without_any_config_still_refused_first(cli):
    assert _refused(cli, "machnie", "list", code=2)[0].startswith('anon-pi: no verb "machnie"')


def test_existing_project_folder_of_that_name_launches(cli):
    cli.configure()
    (cli.ws / "projects" / "prots").mkdir(parents=True)
    res = cli.run("--dry-run", "prots", "-p", "hi")
    assert res.returncode == 0, res.stderr
    assert " -w /projects/prots " in res.stdout


def test_typo_under_mount_looks_in_the_mount(cli):
    cli.configure()
    (cli.tmp / "src" / "intt").mkdir(parents=True)
    res = cli.run("--dry-run", "--mount", str(cli.tmp / "src"), "intt", "-p", "hi")
    assert res.returncode == 0, res.stderr
    assert _refused(cli, "--dry-run", "--mount", str(cli.tmp / "src"), "doctr",
                    code=2)[1].endswith(
        f"`mkdir -p {cli.tmp}/src/doctr`, then `anon-pi doctr`")


@pytest.mark.parametrize("name", ["api", "web", "cli", "recon"])
def test_short_project_names_launch(cli, name):
    cli.configure()
    res = cli.run("--dry-run", name, "-p", "hi")
    assert res.returncode == 0, res.stderr
    assert f" -w /projects/{name} " in res.stdout


@pytest.mark.parametrize("argv, first", [
    (["machine", "lst"], "anon-pi: unknown machine sub-verb: lst; did you mean `list`?"),
    (["image", "lsit"], "anon-pi: unknown image sub-verb: lsit; did you mean `list`?"),
    (["machine", "create", "box", "--imgae", "x"],
     "anon-pi: unknown option for machine create: --imgae; did you mean `--image`?"),
    (["machine", "rm", "box", "--yse"],
     "anon-pi: unknown option for machine rm: --yse; did you mean `--yes`?"),
    (["machine", "set-imgae", "box", "x"],
     "anon-pi: unknown machine sub-verb: set-imgae; did you mean `set-image`?"),
    (["image", "snapshot", "s", "--update-machin", "b"],
     ("anon-pi: unknown option for image snapshot: --update-machin; did you mean "
      "`--update-machine`?")),
    (["--dryrun", "recon"], "anon-pi: unknown option: --dryrun; did you mean `--dry-run`?"),
    (["--sesion", "abc"], "anon-pi: unknown option: --sesion; did you mean `--session`?"),
    (["--mout", "/x", "recon"], "anon-pi: unknown option: --mout; did you mean `--mount`?"),
    (["image", "snapshot", "s", "--create-machin", "b"],
     ("anon-pi: unknown option for image snapshot: --create-machin; did you mean "
      "`--create-machine`?")),
    (["--delete-home", "--yse"],
     "anon-pi: unknown option for --delete-home: --yse; did you mean `--yes`?"),
    (["completions", "bsh"],
     'anon-pi: completions takes bash | zsh | fish, not "bsh"; did you mean `bash`?'),
    (["help", "machnie"], 'anon-pi: no verb "machnie"; did you mean `machine`?'),
    (["version", "x"], "anon-pi: version takes no arguments, got extra: x"),
    # an abbreviation or another letter case of anon-pi's own flag: pi would take it as an
    # unknown flag of its own and run, on the default machine, what was meant as a dry run
    (["--dry", "recon", "-p", "hi"], "anon-pi: unknown option: --dry; did you mean `--dry-run`?"),
    (["--mach", "box", "recon", "-p", "hi"],
     "anon-pi: unknown option: --mach; did you mean `--machine`?"),
    (["recon", "--dry", "-p", "hi"], "anon-pi: unknown option: --dry; did you mean `--dry-run`?"),
    (["recon", "--DRY-RUN", "-p", "hi"],
     "anon-pi: unknown option: --DRY-RUN; did you mean `--dry-run`?"),
    (["--MACHINE", "box", "recon", "-p", "hi"],
     "anon-pi: unknown option: --MACHINE; did you mean `--machine`?"),
    (["machine", "rm", "box", "--dry"],
     "anon-pi: unknown option for machine rm: --dry; did you mean `--dry-run`?"),
])
def test_sub_verb_and_flag_typos(cli, argv, first):
    cli.configure()
    assert _refused(cli, *argv, code=2)[0] == first


def test_help_and_version_are_verbs(cli):
    top = cli.run("--help")
    for argv, want in ((["help"], top.stdout), (["version"], cli.run("--version").stdout),
                       (["help", "machine"], cli.run("machine", "--help").stdout),
                       (["help", "doctor"], cli.run("doctor", "--help").stdout)):
        res = cli.run(*argv)
        assert (res.returncode, res.stdout, res.stderr) == (0, want, "")
    assert cli.run("version").stdout.startswith("anon-pi ")
    assert not cli.ws.exists() and cli.calls() == []


def test_missing_machine_is_refused_for_launch_and_dry_run(cli):
    cli.configure()
    cli.configure(machine="box")
    for argv in (["-m", "nosuch", "recon", "-p", "x"], ["-m", "nosuch", "--dry-run", "recon"],
                 ["-m", "boxx", "--shell"], ["-m", "nosuch"]):
        lines = _refused(cli, *argv, ANON_PI_IMAGE="env/img:1")
        name = argv[1]
        near = "; did you mean `box`?" if name == "boxx" else ""
        assert lines == [
            (f'anon-pi: no machine "{name}" ({cli.ws}/machines/{name}); a launch only creates '
             f"the default machine{near}"),
            f"  hint: create it first: `anon-pi machine create {name} --image env/img:1`"]
    lines = _refused(cli, "-m", "nosuch", "-i", "other/img", "--dry-run", "recon")
    assert lines[1].endswith("`anon-pi machine create nosuch --image other/img`")
    assert _refused(cli, "-m", "nosuch", "recon")[1].endswith("--image <ref>`")


def test_existing_and_default_machines_pass(cli):
    cli.configure()
    cli.configure(machine="box")
    for argv in (["-m", "box", "--dry-run", "recon"], ["-m", "default", "--dry-run", "recon"]):
        assert cli.run(*argv).returncode == 0


@pytest.mark.parametrize("make", [None, "file"])
def test_mount_needs_an_existing_folder(cli, make):
    cli.configure()
    target = cli.tmp / "nonexistent"
    if make:
        target.write_text("x")
    what = "is not a folder" if make else "does not exist"
    for argv in (["--mount", str(target), "recon", "-p", "x"],
                 ["--mount", str(target), "--dry-run", "recon"]):
        assert _refused(cli, *argv) == [
            f"anon-pi: --mount {target} {what}; --mount needs an existing folder.",
            "  hint: create it first, or pick another folder"]


def test_relative_mount_is_shown_absolute(cli):
    cli.configure()
    (cli.tmp / "code").mkdir()
    res = cli.run("--mount", "code", "--dry-run", "recon", "-p", "x")
    assert res.returncode == 0
    assert res.stderr.splitlines() == [f"anon-pi: --mount code is {cli.tmp}/code",
                                       ('anon-pi: would create project "recon" at '
                                        f"{cli.tmp}/code/recon"),
                                       relay_note(cli.proxy).rstrip("\n")]
    assert f"-v {cli.tmp}/code:/work " in res.stdout
    assert _refused(cli, "--mount", "missing", "recon")[0] == (
        f"anon-pi: --mount {cli.tmp}/missing does not exist; --mount needs an existing folder.")
