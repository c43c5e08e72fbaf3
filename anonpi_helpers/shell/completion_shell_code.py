"""The hand-written shell code around the generated core of the bash and zsh scripts.

PRELUDE: the helpers the core calls (workspace paths, candidate lists read straight from the
folders: one glob per TAB for the names starting with the typed word, config.json read by
the shell itself; image and box names from the cache files edges/completion_cache.py writes,
their expiry checked with the shell's own clock: a TAB starts no process). BASH_TAIL /
ZSH_TAIL: each shell's entry point. Pure text, used by completion_gen.
"""

PRELUDE = r"""# The shared core (bash and zsh). It fills _anon_pi_reply/_anon_pi_descr with candidates
# (or sets _anon_pi_dirs=1 for directories), reading names straight from the workspace.
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
_anon_pi_names() {
  # the glob yields only the folders that start with the typed word (nullglob is on) and
  # they are added at once; only a list holding a name never offered (a leading - or .,
  # whitespace) goes through a loop
  local n IFS=/ names=("$1"/"$_anon_pi_match"*/)
  names=("${names[@]%/}")
  names=("${names[@]##*/}")
  (( ${#names[@]} )) || return 0
  if [[ /${names[*]} != *[[:space:]]* && /${names[*]} != */[-.]* ]]; then
    _anon_pi_reply+=("${names[@]}") _anon_pi_descr+=("${names[@]/*/$2}")
    return 0
  fi
  for n in "${names[@]}"; do
    case $n in -* | .* | *[[:space:]]*) continue ;; esac
    _anon_pi_reply+=("$n") _anon_pi_descr+=("$2")
  done
}
_anon_pi_cached() {
  # names anon-pi wrote when it last listed them ($1: images or boxes; no netcage call). Its
  # first line `#anon-pi-names <expiry> [<store file>]`: past the expiry, or older than that
  # store file, the names are stale and nothing is offered
  local d=${XDG_CACHE_HOME-} tag= expiry= store= line now=
  [[ $d == /* ]] || d=$HOME/.cache
  d=$d/anon-pi/$1
  [[ -f $d ]] || return 0
  [[ -n ${ZSH_VERSION-} ]] && zmodload -F zsh/datetime p:EPOCHSECONDS 2>/dev/null
  now=${EPOCHSECONDS-}
  [[ -n $now ]] || printf -v now '%(%s)T' -1 2>/dev/null
  {
    IFS=' ' read -r tag expiry store
    [[ $tag == '#anon-pi-names' && $expiry == [0-9]* && $expiry != *[^0-9]* ]] || return 0
    (( now < expiry )) || return 0
    [[ -n $store && $store -nt $d ]] && return 0
    while IFS= read -r line; do
      [[ -n $line ]] && _anon_pi_add "$line" "$2"
    done
  } < "$d"
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
"""

BASH_TAIL = r"""_anon_pi() {
  local cur words cword
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
  else
    COMPREPLY=("${_anon_pi_reply[@]}")
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
