"""The fish completion script, from the same layout of the command table as the bash/zsh one
(completion_gen.layout).

fish has its own syntax, so it gets its own small renderer; the decisions (which words, which
flags take which kind of value) all come from the layout. The same safety rules as the
bash/zsh core (completion_shell_code.py): only names that pass anon-pi's name rules, image
refs of their plain alphabet, and cache files of this user's own (folder and file owned by
the user, neither a link, the file regular; fish cannot open without blocking, so a FIFO is
refused by that check, and nobody else can swap the file in a folder they cannot write).
Pure: returns text.
"""

from ..core.command_table import SETTING_VALUE
from ..core.names import MAX_NAME, RESERVED_NAMES
from .completion_gen import FREE, TAIL, Layout, by_key, wanted

_ACTIONS = {
    "machine": "__anon_pi_names (__anon_pi_ws)/machines machine",
    "project": "__anon_pi_projects",
    "project|.": "__anon_pi_projects; printf '%s\\t%s\\n' . 'the projects root'",
    "project|.|path": "if string match -q -- '*/*' $cur; __fish_complete_directories $cur; "
                      "else; __anon_pi_projects; printf '%s\\t%s\\n' . 'the projects root'; end",
    "dir": "__fish_complete_directories $cur",
    "image": "__anon_pi_cached images image",
    "box": "__anon_pi_cached boxes box",
}
_RESERVED = " ".join(sorted(n for n in RESERVED_NAMES if not n.startswith(".")))

_PRELUDE = r"""function __anon_pi_expand --argument-names p
    switch $p
        case '~'
            echo $HOME
        case '~/*'
            echo $HOME/(string sub -s 3 -- $p)
        case '*'
            echo $p
    end
end
function __anon_pi_ws
    set -l ws $ANON_PI_HOME
    test -n "$ws"; or set ws $HOME/.anon-pi
    __anon_pi_expand $ws
end
function __anon_pi_name_ok --argument-names n
    # anon-pi's name rules: letters, digits, . _ -; not starting with . or -; 1-128; not reserved
    string match -qr '^[\p{L}\p{Nd}_][\p{L}\p{Nd}._-]{0,@LONGEST@}\z' -- $n; or return 1
    not contains -- $n @RESERVED@
end
function __anon_pi_names --argument-names dir descr
    for d in $dir/*/
        string match -qr '\n' -- $d; and continue  # a substitution would split it in two
        set -l n (string replace -r '.*/([^/]+)/$' '$1' -- $d)
        __anon_pi_name_ok $n; and printf '%s\t%s\n' $n $descr
    end
end
function __anon_pi_cached --argument-names kind descr
    # the names anon-pi last listed (edges/completion_cache.py), from this user's own cache
    # folder and file only, unless past their expiry or older than the store file the first
    # line names; the clock from /proc (no process)
    set -l dir "$XDG_CACHE_HOME"
    string match -q -- '/*' $dir; or set dir $HOME/.cache
    set dir $dir/anon-pi
    test -d $dir -a ! -L $dir -a -O $dir; or return
    set -l file $dir/$kind
    test -f $file -a ! -L $file -a -O $file; or return
    set -l lines
    while read -l line
        set -a lines $line
    end < $file
    set -l head (string split -m 2 ' ' -- $lines[1])
    test "$head[1]" = '#anon-pi-names'
    and string match -qr '^[0-9]{1,12}$' -- "$head[2]"
    or return
    set -l boot (string replace -rf '^btime ' '' < /proc/stat 2>/dev/null)
    read -l up rest < /proc/uptime 2>/dev/null
    if test -n "$boot" -a -n "$up"
        test (math --scale 0 "$boot + $up") -lt $head[2]; or return
    end
    if set -q head[3]; and test "$head[3]" -nt $file
        return
    end
    set -e lines[1]
    for line in $lines
        if test $kind = images
            string match -qr '^[\p{L}\p{Nd}_][\p{L}\p{Nd}._/:@-]{0,254}\z' -- $line
        else
            __anon_pi_name_ok $line
        end
        and printf '%s\t%s\n' $line $descr
    end
end
function __anon_pi_projects
    set -l ws (__anon_pi_ws)
    set -l root $ANON_PI_PROJECTS
    if test -z "$root"; and test -f $ws/config.json
        set -l key '"projects"[[:space:]]*:'
        set root (sed -nE -e "/$key/{s/.*$key"'[[:space:]]*"(([^"\\\\]|\\\\.)*)".*/\1/' \
            -e 's/\\\\(.)/\1/g' -e p -e q -e '}' $ws/config.json 2>/dev/null)
    end
    test -n "$root"; or set root $ws/projects
    __anon_pi_names (__anon_pi_expand $root) project
end
""".replace("@LONGEST@", str(MAX_NAME - 1)).replace("@RESERVED@", _RESERVED)


def _q(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _print(pairs) -> list[str]:
    return [f"printf '%s\\t%s\\n' {_q(w)} {_q(h)}" for w, h in pairs]


def _action(source: str) -> list[str]:
    if source == SETTING_VALUE:  # `config set <key> <value>`: by the key before it
        body = ["switch $last"]
        for key, kind in by_key():
            body += _case([key], _action(kind), "    ")
        return [*body, "end"]
    if source in _ACTIONS:
        return [_ACTIONS[source]]
    return _print((w, "") for w in source.split("|")) if source != FREE else []


def _case(labels: list[str], body: list[str], ind: str) -> list[str]:
    return [f"{ind}case {' '.join(_q(x) for x in labels)}"] + [f"{ind}    {b}" for b in body]


def render_fish(lay: Layout, header: str) -> str:
    ind = " " * 12
    out = [header + _PRELUDE + "function __anon_pi_candidates",
           "    set -l words (commandline -opc)", "    set -e words[1]",
           "    set -l cur (commandline -ct)", "    set -l cmd launch", "    set -l pos 0",
           "    set -l want", "    set -l last", "    if test (count $words) -eq 0",
           "        if string match -q -- '-*' \"$cur\""]
    out += ["            " + b for b in _print(lay.first_flags)]
    out += ["        else"]
    out += ["            " + b for b in _print(lay.first_words) + _action("project|.|path")]
    out += ["        end", "        return", "    end", "    for w in $words",
            '        if test -n "$want"', "            set want", "            continue",
            "        end", '        switch "$cmd $w"']
    for state, names, source in lay.value_flags:
        out += _case([f"{state} {n}" for n in names], [f"set want {_q(source)}"], ind)
    for names, takes in lay.targets:
        out += _case([f"launch {n}" for n in names],
                     ([f"set want {_q(FREE)}"] if takes else []) + [f"set cmd {_q(TAIL)}"], ind)
    flag_verbs = [v for v in lay.verbs if v.startswith("-")]
    out += _case([f"launch {v}" for v in flag_verbs], ["set cmd $w"], ind)
    out += [f"{ind}case '* -*'"]
    out += _case([f"launch {v}" for v in lay.verbs if v not in flag_verbs], ["set cmd $w"], ind)
    out += _case([f"{g} {s}" for g, pairs in lay.groups.items() for s, _ in pairs],
                 ['set cmd "$cmd $w"'], ind)
    out += [f"{ind}case '*'", f"{ind}    set pos (math $pos + 1)", f"{ind}    set last $w",
            "        end",
            '        if test "$cmd" = launch -a $pos -gt 0', f"            set cmd {_q(TAIL)}",
            "        end", "    end", '    if test -n "$want"', "        switch $want"]
    for source in wanted(lay):
        out += _case([source], _action(source), ind)
    out += ["        end", "        return", "    end",
            "    if string match -q -- '-*' \"$cur\"", "        switch $cmd"]
    for state, pairs in lay.dash.items():
        out += _case([state], _print(pairs), ind)
    out += ["        end", "        return", "    end", '    switch "$cmd $pos"']
    for group, pairs in lay.groups.items():
        out += _case([f"{group} 0"], _print(pairs), "        ")
    for state, i, source in lay.positionals:
        out += _case([f"{state} {i}"], _action(source), "        ")
    out += ["    end", "end", "complete -c anon-pi -f -a '(__anon_pi_candidates)'", ""]
    return "\n".join(out)
