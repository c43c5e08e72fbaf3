"""The hand-written shell code around the generated core of the bash and zsh scripts.

PRELUDE: the helpers the core calls (workspace paths, candidate lists read straight from the
folders: one glob per TAB for the names starting with the typed word, config.json read by
the shell itself; image and box names from the cache files edges/completion_cache.py writes,
their expiry checked with the shell's own clock: a TAB starts no process). BASH_TAIL /
ZSH_TAIL: each shell's entry point. Pure text, used by completion_gen.

What a TAB offers is inserted into the user's command line and listed on their terminal, and
the jail writes the projects root: a folder named `notes;touch${IFS}PWNED` or one carrying
terminal escapes must never reach either. So only names that pass anon-pi's own name rules
(core/names.py: letters, digits, `.`, `_`, `-`, not starting with `.` or `-`, at most 128
characters, not reserved; here the letters of a few scripts only, see _ALNUM) and image refs of
their own plain alphabet are offered, and bash quotes what it inserts all the same. The cache
files are read only when the cache folder and the file belong to this user and neither is a
link (so nobody else can swap the file between the check and the read), the file is a regular
one, and it is opened without blocking (zsh: `sysopen -o nofollow,nonblock`; bash: a read-write
open, which never waits for a FIFO's writer, then reads with a timeout); a first line that is
not anon-pi's header means no names.
"""

import string
import unicodedata

from ..core.names import MAX_NAME, RESERVED_NAMES

# The letters and digits bash and zsh accept in a name, spelled out one by one: `[[:alnum:]]`
# is wider than anon-pi's rule in a UTF-8 locale (letter numbers such as `Ⅻ`, combining marks
# and some symbols pass it), and no shell pattern spells "a Unicode letter or a decimal
# digit". So these two offer names of ASCII letters and digits and of the letters of the
# Latin, IPA, Greek and Cyrillic blocks (each one a letter by the rule's own table): narrower
# than the rule for other scripts, never wider. fish matches the rule itself.
_SCRIPTS = ((0x00C0, 0x02AF), (0x0370, 0x03FF), (0x0400, 0x04FF))
_ASCII = string.ascii_letters + string.digits
_ALNUM = _ASCII + "".join(
    chr(c) for lo, hi in _SCRIPTS for c in range(lo, hi + 1)
    if unicodedata.category(chr(c))[0] == "L")

# `.` and `..` start with a dot, refused as such
_NAMED = sorted(n for n in RESERVED_NAMES if not n.startswith("."))
_RESERVED = "|".join(_NAMED)
_NOT_RESERVED = " && ".join(f"$n != */{n}/*" for n in _NAMED)
# a glob matching a name longer than the rules allow, within `/`-joined names
_TOO_LONG = "[!/]" * (MAX_NAME + 1)

PRELUDE = r"""# The shared core (bash and zsh). It fills _anon_pi_reply/_anon_pi_descr with
# candidates (or sets _anon_pi_dirs=1 for directories), reading names straight from the
# workspace.
_anon_pi_start() {
  _anon_pi_cur=$1
  _anon_pi_reply=() _anon_pi_descr=() _anon_pi_dirs=0
  _anon_pi_expand "${ANON_PI_HOME:-$HOME/.anon-pi}"
  _anon_pi_ws=$_anon_pi_path
}
_anon_pi_expand() {
  case $1 in
    "~") _anon_pi_path=$HOME ;;
    "~/"*) _anon_pi_path=$HOME/${1#"~/"} ;;
    *) _anon_pi_path=$1 ;;
  esac
}
_anon_pi_add() {
  [[ $1 == "$_anon_pi_match"* ]] || return 0
  _anon_pi_reply+=("$1") _anon_pi_descr+=("$2")
}
_anon_pi_name_ok() {
  # anon-pi's name rules (letters of a few scripts only here), . _ -; not starting with . or
  # -; 1-128; not reserved
  case $1 in '' | [-.]* | *[!@ALNUM@._-]* | @RESERVED@) return 1 ;; esac
  (( ${#1} <= @MAX@ ))
}
_anon_pi_ref_ok() {
  # an image ref as anon-pi lists them: letters, digits and . _ - / : @ only
  case $1 in '' | [-.:/@]* | *[!@ALNUM@._/:@-]*) return 1 ;; esac
  (( ${#1} <= 255 ))
}
_anon_pi_names() {
  # the glob yields only the folders that start with the typed word (nullglob is on); when
  # every name is plain ASCII and passes the rules they are added at once, else one by one
  # through the check
  local n IFS=/ names=("$1"/"$_anon_pi_match"*/)
  names=("${names[@]%/}")
  names=("${names[@]##*/}")
  (( ${#names[@]} )) || return 0
  n=/${names[*]}/
  if [[ $n != *[!@ASCII@/._-]* && $n != */[-.]* && $n != *@TOO_LONG@* \
        && @NOT_RESERVED@ ]]; then
    _anon_pi_reply+=("${names[@]}") _anon_pi_descr+=("${names[@]/*/$2}")
    return 0
  fi
  for n in "${names[@]}"; do
    _anon_pi_name_ok "$n" && _anon_pi_reply+=("$n") _anon_pi_descr+=("$2")
  done
  return 0
}
_anon_pi_cached() {
  # names anon-pi wrote when it last listed them ($1: images or boxes; no netcage call), from
  # this user's own cache folder and file only (see above). Its first line `#anon-pi-names
  # <expiry> [<store file>]`: past the expiry, or older than that store file, the names are
  # stale and nothing is offered
  local d=${XDG_CACHE_HOME-} tag= expiry= store= line now= fd=
  [[ $d == /* ]] || d=$HOME/.cache
  d=$d/anon-pi
  [[ -d $d && ! -L $d && -O $d ]] || return 0
  d=$d/$1
  [[ -f $d && ! -L $d && -O $d ]] || return 0
  if [[ -n ${ZSH_VERSION-} ]]; then
    zmodload -F zsh/datetime p:EPOCHSECONDS 2>/dev/null
    zmodload zsh/system 2>/dev/null && sysopen -r -o nofollow,nonblock -u fd -- "$d" \
      2>/dev/null || return 0
  else
    exec {fd}<>"$d" || return 0
  fi 2>/dev/null
  now=${EPOCHSECONDS-}
  [[ -n $now ]] || printf -v now '%(%s)T' -1 2>/dev/null
  IFS=' ' read -r -t 1 -u "$fd" tag expiry store
  if [[ $tag == '#anon-pi-names' && $expiry == [0123456789]* && $expiry != *[!0123456789]* \
        && ${#expiry} -le 12 && -n $now ]] && (( now < 10#$expiry )) \
        && ! [[ -n $store && $store -nt $d ]]; then
    while IFS= read -r -t 1 -u "$fd" line; do
      if [[ $1 == images ]]; then
        _anon_pi_ref_ok "$line" && _anon_pi_add "$line" "$2"
      else
        _anon_pi_name_ok "$line" && _anon_pi_add "$line" "$2"
      fi
    done
  fi
  exec {fd}<&-
  return 0
}
_anon_pi_projects() {
  local root=${ANON_PI_PROJECTS-}
  if [[ -z $root && -f $_anon_pi_ws/config.json ]]; then
    _anon_pi_config_projects "$_anon_pi_ws/config.json"
    root=$_anon_pi_path
  fi
  _anon_pi_expand "${root:-$_anon_pi_ws/projects}"
  _anon_pi_names "$_anon_pi_path" project
}
_anon_pi_config_projects() {
  # config.json's "projects" string, JSON escapes undone, read by the shell itself: a TAB
  # spawns no process
  local json= re='"projects"[[:space:]]*:[[:space:]]*"(([^"\\]|\\.)*)"' i value=
  _anon_pi_path=
  IFS= read -r -d '' json < "$1" 2>/dev/null
  [[ $json =~ $re ]] || return 0
  value=${BASH_REMATCH[1]-}
  [[ -n ${ZSH_VERSION-} ]] && value=${match[1]}
  if [[ $value == *\\* ]]; then
    for (( i = 0; i < ${#value}; i++ )); do
      [[ ${value:$i:1} == \\ ]] && i=$((i + 1))
      _anon_pi_path+=${value:$i:1}
    done
  else
    _anon_pi_path=$value
  fi
}
""".replace("@RESERVED@", _RESERVED).replace("@MAX@", str(MAX_NAME)).replace(
    "@TOO_LONG@", _TOO_LONG).replace("@NOT_RESERVED@", _NOT_RESERVED).replace(
    "@ALNUM@", _ALNUM).replace("@ASCII@", _ASCII)

BASH_TAIL = r"""_anon_pi() {
  local cur words cword c q
  if declare -F _get_comp_words_by_ref >/dev/null; then
    _get_comp_words_by_ref -n =: cur words cword
  else
    words=("${COMP_WORDS[@]}") cword=$COMP_CWORD cur=${COMP_WORDS[COMP_CWORD]}
  fi
  _anon_pi_match=$cur
  local _anon_pi_ng=1
  shopt -q nullglob || { _anon_pi_ng=0; shopt -s nullglob; }
  _anon_pi_core "$cur" "${words[@]:1:cword-1}"
  (( _anon_pi_ng )) || shopt -u nullglob
  if (( _anon_pi_dirs )); then
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -d -- "$cur")
  elif [[ "${_anon_pi_reply[*]}" != *[![:alnum:]._/:@\ -]* ]]; then
    COMPREPLY=("${_anon_pi_reply[@]}")
  else
    COMPREPLY=()
    for c in "${_anon_pi_reply[@]}"; do
      printf -v q '%q' "$c"
      COMPREPLY+=("$q")
    done
  fi
}
complete -F _anon_pi anon-pi
"""

ZSH_TAIL = r"""_anon-pi() {
  setopt localoptions nullglob noksharrays
  local -a _anon_pi_shown
  local i
  _anon_pi_match=
  _anon_pi_core "$PREFIX" "${(@)words[2,CURRENT-1]}"
  if (( _anon_pi_dirs )); then
    _files -/
    return
  fi
  (( ${#_anon_pi_reply} )) || return 1
  for (( i = 1; i <= ${#_anon_pi_reply}; i++ )); do
    _anon_pi_shown+=("${_anon_pi_reply[i]}${_anon_pi_descr[i]:+  -- ${_anon_pi_descr[i]}}")
  done
  compadd -l -d _anon_pi_shown -- "${_anon_pi_reply[@]}"
}
if [[ ${funcstack[1]-} == _anon-pi ]]; then
  _anon-pi "$@"
else
  compdef _anon-pi anon-pi
fi
"""
