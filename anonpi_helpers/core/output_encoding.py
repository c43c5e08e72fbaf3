"""Which encoding anon-pi's own output takes: the one the terminal's locale names.

anon-pi runs in Python's UTF-8 mode (both launchers pass `-X utf8`): file names, the command
line and the environment are read as UTF-8 whatever the locale, as the name rules
(core/names.py) and every file anon-pi reads assume. Without it, a Latin-1 or ASCII locale
made Python read a project folder `café` (UTF-8 on disk) as `cafÃ©` or as undecodable bytes:
a valid name turned invalid and dropped from every listing, and typed on the command line it
was refused. UTF-8 mode also writes stdout and stderr as UTF-8, which such a terminal shows
as garbage: so they are switched back to the locale's encoding, a character it has no byte
for printed as an escape. The C and POSIX locales keep UTF-8, as Python itself decides: most
often they are a UTF-8 terminal whose locale was never set (ssh, cron, a container). Pure.
"""

import codecs
from collections.abc import Mapping

_UNSET_LOCALES = frozenset({"C", "POSIX"})
_UTF8_CODESETS = frozenset({"utf8", "utf-8"})


def named_utf8(env: Mapping[str, str]) -> bool:
    """Whether the environment alone settles it: the locale it names (LC_ALL, else
    LC_CTYPE, else LANG, as the C library reads them) is unset, C or POSIX, or says UTF-8
    (`C.UTF-8`, `en_US.utf8`). Then output stays UTF-8 without asking the C library, whose
    Python module (`locale`) costs several milliseconds to import; anything else (`en_US`,
    `de_DE.ISO-8859-1`, `ru_RU.KOI8-R`) is asked."""
    name = next((env[var] for var in ("LC_ALL", "LC_CTYPE", "LANG") if env.get(var)), "")
    if name in _UNSET_LOCALES or not name:
        return True
    codeset = name.partition(".")[2].partition("@")[0]
    return codeset.lower() in _UTF8_CODESETS


def output_encoding(ctype_locale: str, codeset: str) -> str | None:
    """The codec stdout and stderr should write (Python's name for it), or None to keep
    UTF-8. `ctype_locale` is the LC_CTYPE locale in force, `codeset` its nl_langinfo
    CODESET (`ANSI_X3.4-1968` for ASCII, `ISO-8859-1`, `UTF-8`)."""
    if ctype_locale in _UNSET_LOCALES or not codeset:
        return None
    try:
        name = codecs.lookup(codeset).name
    except LookupError:  # a codeset Python has no codec for: UTF-8, as Python's own default
        return None
    return None if name == "utf-8" else name
