"""Locales that are not UTF-8 (an ASCII and a Latin-1 one), compiled for the test run from a
definition and a character map the test writes itself: no test depends on which locales the
host generated, nor on Debian's `locales` package (its /usr/share/i18n sources), only on
`localedef` (libc-bin, on every Debian).

The definition holds an empty LC_CTYPE (the character map alone says which bytes are
characters, which is all Python and bash read) and an LC_COLLATE of the ASCII order, so
`setlocale(LC_ALL, "")` accepts it in bash too; the other categories are the C locale's."""

import subprocess
from pathlib import Path

import pytest
from tool_support import need

_DEFINITION = """comment_char %
escape_char /
LC_CTYPE
END LC_CTYPE
LC_COLLATE
order_start forward
<U0000>
..
<U007F>
order_end
END LC_COLLATE
"""
# locale name -> (the codeset nl_langinfo reports, how many bytes are characters)
CHARSETS = {"test.ascii": ("ANSI_X3.4-1968", 128), "test.latin1": ("ISO-8859-1", 256)}


def _charmap(codeset: str, size: int) -> str:
    lines = [f"<code_set_name> {codeset}", "<comment_char> %", "<escape_char> /", "CHARMAP",
             *(f"<U{b:04X}> /x{b:02x}" for b in range(size)), "END CHARMAP"]
    return "\n".join(lines) + "\n"


def legacy_locale(folder: Path, name: str) -> dict:
    """The environment that puts a process under the locale `name` (a key of CHARSETS),
    compiled into `folder` (LOCPATH) unless it already is."""
    codeset, size = CHARSETS[name]
    target = folder / name
    if not (target / "LC_CTYPE").exists():
        need("localedef")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "definition").write_text(_DEFINITION, encoding="ascii")
        (folder / f"{name}.charmap").write_text(_charmap(codeset, size), encoding="ascii")
        # -c: the categories left out are warnings, not errors (its status is 1 then)
        made = subprocess.run(["localedef", "-c", "-i", str(folder / "definition"), "-f",
                               str(folder / f"{name}.charmap"), str(target)],
                              capture_output=True, text=True, timeout=60, check=False)
        if not (target / "LC_CTYPE").exists():
            pytest.fail(f"localedef could not build {name}: {made.stderr[-300:]}",
                        pytrace=False)
    return {"LOCPATH": str(folder), "LC_ALL": name, "LANG": name}
