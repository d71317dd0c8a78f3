# Shared by scripts/install-chromium and scripts/install-node-packages (sourced, not run):
# apt-get with root rights, never prompting (CI has no stdin). The sourcing script defines
# warn() first.

SUDO=""           # "" when root, "sudo -n" when passwordless sudo works
APT_UPDATED=0

# True when apt-get can be run with root rights without asking for a password.
can_apt() {
    command -v apt-get >/dev/null 2>&1 || return 1
    if [ "$(id -u)" = 0 ]; then
        SUDO=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
        SUDO="sudo -n"
    else
        return 1
    fi
}

# apt_install PACKAGE...: quiet install; on failure show the tail of apt's output.
apt_install() {
    local log
    log=$(mktemp)
    if {
        if [ "$APT_UPDATED" = 0 ]; then
            $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        fi &&
        $SUDO env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends "$@"
    } >"$log" 2>&1; then
        APT_UPDATED=1
        rm -f "$log"
        return 0
    fi
    warn "apt-get install $* failed; the end of its output:"
    tail -n 25 "$log" >&2
    rm -f "$log"
    return 1
}
