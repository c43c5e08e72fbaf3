"""The fish completion script, from the same command tree as the bash/zsh one (completion_gen).

fish has its own syntax, so it gets its own small renderer; the decisions (which words, which
flags take which kind of value) all come from `completion_gen.layout`. Pure: returns text.
"""

from .completion_gen import HELP_FLAG, TAIL, Command, flag_triples_of, layout

# value kind -> fish code printing its candidates (fish filters them by the current token)
_ACTIONS = {
    "machine": "__anon_pi_names (__anon_pi_ws)/machines machine",
    "project": "__anon_pi_projects",
    "project|.": "__anon_pi_projects; printf '%s\\t%s\\n' . 'the projects root'",
    "dir": "__fish_complete_directories $cur",
    "image": "__anon_pi_cached images image",
    "box": "__anon_pi_cached boxes box",
}

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
function __anon_pi_names --argument-names dir descr
    for d in $dir/*/
        set -l n (string replace -r '.*/([^/]+)/$' '$1' -- $d)
        string match -qr '^-|\s' -- $n; and continue
        printf '%s\t%s\n' $n $descr
    end
end
function __anon_pi_cached --argument-names kind descr
    # the names anon-pi last listed (edges/completion_cache.py), unless past their expiry or
    # older than the store file the first line names; the clock from /proc (no process)
    set -l dir "$XDG_CACHE_HOME"
    string match -q -- '/*' $dir; or set dir $HOME/.cache
    set -l file $dir/anon-pi/$kind
    test -f $file; or return
    set -l lines
    while read -l line
        set -a lines $line
    end < $file
    set -l head (string split -m 2 ' ' -- $lines[1])
    test "$head[1]" = '#anon-pi-names'; and string match -qr '^[0-9]+$' -- "$head[2]"; or return
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
        test -n "$line"; and printf '%s\t%s\n' $line $descr
    end
end
function __anon_pi_projects
    set -l ws (__anon_pi_ws)
    set -l root $ANON_PI_PROJECTS
    if test -z "$root"; and test -f $ws/config.json
        set root (sed -nE -e '/"projects"[[:space:]]*:/{s/.*"projects"[[:space:]]*:[[:space:]]*"(([^"\\\\]|\\\\.)*)".*/\1/' -e 's/\\\\(.)/\1/g' -e p -e q -e '}' $ws/config.json 2>/dev/null)
    end
    test -n "$root"; or set root $ws/projects
    __anon_pi_names (__anon_pi_expand $root) project
end
"""


def _q(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _print(pairs) -> list[str]:
    return [f"printf '%s\\t%s\\n' {_q(w)} {_q(h)}" for w, h in pairs]


def _flags(triples) -> list[str]:
    return _print((n, h) for names, _, h in triples for n in names)


def _positional(kind: str) -> list[str]:
    if kind.startswith("("):
        return _print((w, "") for w in kind.strip("()").split("|"))
    return [_ACTIONS[kind]] if kind in _ACTIONS else []


def _case(labels: list[str], body: list[str], ind: str) -> list[str]:
    return [f"{ind}case {' '.join(_q(x) for x in labels)}"] + [f"{ind}    {b}" for b in body]


def _if_dash(dash: list[str], other: list[str], ind: str) -> list[str]:
    return ([f"{ind}if string match -q -- '-*' \"$cur\""] + [f"{ind}    {b}" for b in dash]
            + [f"{ind}else"] + [f"{ind}    {b}" for b in other] + [f"{ind}end"])


def render_fish(cmds: list[Command], header: str) -> str:
    lay = layout(cmds)
    out = [header + _PRELUDE + "function __anon_pi_candidates",
           "    set -l words (commandline -opc)", "    set -e words[1]",
           "    set -l cur (commandline -ct)", "    set -l cmd launch", "    set -l pos 0",
           "    set -l want", "    if test (count $words) -eq 0"]
    out += _if_dash(_flags(lay.first_flags), _print(lay.first_words)
                    + _positional(lay.launch.positionals[0][0]), "        ")
    out += ["        return", "    end", "    switch $words[1]"]
    singles = [g for g, cs in lay.groups.items() if len(cs) == 1 and len(cs[0].words) == 1]
    out += _case(singles, ["set cmd $words[1]", "set -e words[1]"], "        ")
    for group, cs in lay.groups.items():
        if group in singles:
            continue
        sub = (["if test (count $words) -eq 1"]
               + ["    " + b for b in _if_dash(_flags([HELP_FLAG]),
                                              _print((c.words[1], c.help) for c in cs), "")]
               + ["    return", "end", 'set cmd "$words[1] $words[2]"', "set -e words[1..2]"])
        out += _case([group], sub, "        ")
    out += ["    end", "    for w in $words", '        if test -n "$want"', "            set want",
            "            continue", "        end", '        switch "$cmd $w"']
    tail = flag_triples_of(lay.launch.tail)
    for c in lay.cmds:
        for names, value, _ in lay.flags(c):
            labels = [f"{c.key} {n}" for n in names]
            body = [f"set want {value}"] if value else []
            if c is lay.launch and names in [m.words for m in lay.modes]:
                body.append("set cmd $w")
            elif c is lay.launch and names in lay.launch.instead:
                body.append(f"set cmd {_q(TAIL)}")
            if body:
                out += _case(labels, body, "            ")
    for names, value, _ in tail:
        if value:
            out += _case([f"{TAIL} {n}" for n in names], [f"set want {value}"], "            ")
    out += ["            case '* -*'", "            case '*'",
            "                set pos (math $pos + 1)", "        end",
            '        if test "$cmd" = launch -a $pos -gt 0', f"            set cmd {_q(TAIL)}",
            "        end",
            "    end", '    if test -n "$want"', "        switch $want"]
    for kind, action in _ACTIONS.items():
        out += _case([kind], [action], "            ")
    out += ["        end", "        return", "    end",
            "    if string match -q -- '-*' \"$cur\"", "        switch $cmd"]
    for c in lay.cmds:
        out += _case([c.key], _flags([*lay.flags(c), HELP_FLAG]), "            ")
    out += _case([TAIL], _flags(tail), "            ")
    out += ["        end", "        return", "    end", '    switch "$cmd $pos"']
    for c in lay.cmds:
        for i, (kind, _) in enumerate(c.positionals):
            if _positional(kind):
                out += _case([f"{c.key} {i}"], _positional(kind), "        ")
    out += ["    end", "end", "complete -c anon-pi -f -a '(__anon_pi_candidates)'", ""]
    return "\n".join(out)
