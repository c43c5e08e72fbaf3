"""Pure units for the bare-launch menu rows: filter, sort, annotations, labels, and the
launch fields a pick carries."""

from anonpi_helpers.launch.menu_entries import (
    HERE_LABEL,
    NEW_LABEL,
    SHELL_LABEL,
    MenuEntry,
    annotation,
    header,
    launch_fields,
    menu_entries,
    project_names,
    row_name,
)


def test_filter_and_sort_drops_invalid_names_and_orders_case_insensitively():
    folders = ["beta", "alpha", "Alpha", "_under", ".git", ".hidden", "pi", "machine", "with space",
               "a:b", "-dash", "café", "Zeta"]
    assert project_names(folders) == ["_under", "Alpha", "alpha", "beta", "café", "Zeta"]


def test_annotation_variants():
    listings = {"default": frozenset({"--projects-alpha--"}),
                "box": frozenset({"--projects-alpha--", "--projects-gamma--"}),
                "Big": frozenset({"--projects-alpha--"})}
    assert annotation("--projects-alpha--", listings, "default") == "  (used on: Big, box, default)"
    assert annotation("--projects-gamma--", listings, "default") == (
        "  (used on: box; not yet on this machine)")
    assert annotation("--projects-zeta--", listings, "default") == "  (no conversations yet)"
    assert annotation("--projects-gamma--", listings, "box") == "  (used on: box)"


def test_current_machine_without_listing_is_new_everywhere():
    listings = {"box": frozenset({"--projects-alpha--"}), "fresh": frozenset()}
    assert annotation("--projects-alpha--", listings, "fresh") == (
        "  (used on: box; not yet on this machine)")


def test_entries_in_order_with_exact_labels():
    listings = {"default": frozenset({"--projects-alpha--", "--projects--"}),
                "box": frozenset({"--projects-beta--"})}
    rows = menu_entries(["beta", "alpha", ".git", "notes"], listings, "default", mounted=False)
    assert [r.label for r in rows] == [
        "alpha  (used on: default)",
        "beta  (used on: box; not yet on this machine)",
        "notes  (no conversations yet)",
        ". (here: a scratch pi at the root)",
        "+ new project\u2026",
        "shell (a jailed bash on this machine)",
    ]
    assert rows[0] == MenuEntry("alpha  (used on: default)", "project", "alpha")


def test_empty_root_still_has_three_rows():
    rows = menu_entries([], {"default": frozenset()}, "default", mounted=False)
    assert [r.label for r in rows] == [HERE_LABEL, NEW_LABEL, SHELL_LABEL]
    assert NEW_LABEL.endswith("\u2026")


def test_mount_uses_work_slugs():
    listings = {"default": frozenset({"--work-alpha--"}), "box": frozenset({"--projects-alpha--"})}
    [mounted, *_] = menu_entries(["alpha"], listings, "default", mounted=True)
    [plain, *_] = menu_entries(["alpha"], listings, "default", mounted=False)
    assert mounted.label == "alpha  (used on: default)"
    assert plain.label == "alpha  (used on: box; not yet on this machine)"


def test_root_sessions_never_become_projects():
    listings = {"default": frozenset({"--projects--", "--work--", "--projects-x-y--"})}
    rows = menu_entries([], listings, "default", mounted=False)
    assert [r.kind for r in rows] == ["here", "new", "shell"]


def test_launch_fields_match_the_typed_commands():
    rows = menu_entries(["alpha"], {"default": frozenset()}, "default", mounted=False)
    assert [launch_fields(r) for r in rows if r.kind != "new"] == [
        {"mode": "pi", "project": "alpha"},
        {"mode": "pi", "project": "."},
        {"mode": "shell", "project": None},
    ]


def test_header_names_machine_and_every_key():
    assert header("box") == ('anon-pi: machine "box" (\u2191/\u2193 or j/k move, type to filter '
                             "(/ first to type j/k/q), Enter select, q/Esc quit)")


def test_typing_matches_a_project_by_its_name_and_the_other_rows_by_their_words():
    from anonpi_helpers.core.boxes import Box
    from anonpi_helpers.core.identity import Identity

    dev = Box("r" * 64, "dev", Identity("default", "", "", "/projects"), None, False)
    listings = {"box": frozenset({"--projects-alpha--"}), "default": frozenset()}
    rows = menu_entries(["alpha"], listings, "default", mounted=False, boxes=[dev])
    assert [row_name(e) for e in rows] == ["alpha", "enter box dev", ".", "+ new project\u2026",
                                           "shell"]
    assert "box" in rows[0].label  # the note names machine "box"; typing `box` must not match


def test_stopped_boxes_of_this_machine_are_offered_after_the_projects():
    from anonpi_helpers.core.boxes import Box
    from anonpi_helpers.core.identity import Identity

    def box(name, machine, running=False):
        return Box(ref=name * 3, name=name, ident=Identity(machine, "/p", "", "/projects"),
                   image=None, running=running)

    rows = menu_entries(["alpha"], {"default": frozenset()}, "default", mounted=False,
                        boxes=[box("dev", "default"), box("web", "default", running=True),
                               box("other", "m2")])
    assert [r.label for r in rows] == ["alpha  (no conversations yet)", "enter box dev",
                                       HERE_LABEL, NEW_LABEL, SHELL_LABEL]
    assert launch_fields(rows[1]) == {"mode": "box", "project": None, "box": "dev"}
