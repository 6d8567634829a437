# bash completion for cove-cli. Installed as share/bash-completion/completions/cove-cli; or load it by
# hand with: source <(cove-cli completion bash)
#
# Commands and options come from cove-cli itself (its --help, no network); sandbox ids from
# `cove-cli sandbox list --quiet`, which asks coved.

_cove_cli_ids() {
    cove-cli sandbox list --quiet 2>/dev/null
}

_cove_cli() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    local group=${COMP_WORDS[1]} sub=${COMP_WORDS[2]} first=2
    COMPREPLY=()
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W "sandbox snapshot volume key audit exec ssh cp logs completion mcp --help --version" -- "$cur"))
        return
    fi
    case $group in
        exec|ssh|terminal|cp|logs) sub=$group; group=sandbox; first=1 ;;
        completion) [[ $COMP_CWORD -eq 2 ]] && COMPREPLY=($(compgen -W "bash zsh" -- "$cur")); return ;;
        sandbox|snapshot|volume|key|audit)
            if [[ $COMP_CWORD -eq 2 ]]; then
                local subs
                case $group in
                    sandbox) subs="create list info start stop archive delete exec ssh terminal logs cp" ;;
                    snapshot) subs="create list info delete" ;;
                    volume|key) subs="create list delete" ;;
                    audit) subs="list" ;;
                esac
                COMPREPLY=($(compgen -W "$subs" -- "$cur"))
                return
            fi ;;
        *) return ;;
    esac
    if [[ $cur == -* ]]; then
        local opts
        opts=$(cove-cli "$group" "$sub" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u)
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    # The first argument after the command words.
    local argIndex=$((COMP_CWORD - first))
    case $group/$sub in
        sandbox/info|sandbox/start|sandbox/stop|sandbox/archive|sandbox/delete|sandbox/exec|sandbox/ssh|sandbox/terminal|sandbox/logs)
            [[ $argIndex -eq 1 || $sub == delete ]] && COMPREPLY=($(compgen -W "$(_cove_cli_ids)" -- "$cur")) ;;
        sandbox/cp)
            if [[ $cur == *:* ]]; then
                return
            fi
            local ids
            ids=$(_cove_cli_ids | sed 's/$/:/')
            COMPREPLY=($(compgen -W "$ids" -- "$cur") $(compgen -f -- "$cur"))
            compopt -o nospace 2>/dev/null ;;
    esac
}

complete -F _cove_cli cove-cli
