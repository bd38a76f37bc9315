# shellcheck shell=bash
# Shared by the deploy/local scripts (sourced, not run): where the local stack lives, its ports, and
# how to start, check and stop RabbitMQ and PostgreSQL there. Everything lives under the repository's
# git-ignored `.local/`, so a clone never touches system-wide server data.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
local_dir="$root/.local"
env_dir="$local_dir/env"
secrets_dir="$local_dir/secrets"
logs_dir="$local_dir/logs"
run_dir="$local_dir/run"
script_name="$(basename "$0")"

# The four services, each with its broker user and database, and the web front end over their APIs.
services=(documents notify calendar signing)
processes=("${services[@]}" web)

log() { printf '%s: %s\n' "$script_name" "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

# ---- ports ------------------------------------------------------------------------------------
# A port chosen once (by environment variable) sticks: setup records it in local-stack.env, so a
# later `deploy/local/broker start` (run by the tests without those variables) uses the same port
# the env files point at. An explicit variable always wins.
ports_file="$env_dir/local-stack.env"
if [[ -f "$ports_file" ]]; then
    while IFS='=' read -r key value; do
        case "$key" in
            IOFFICE_LOCAL_*_PORT) [[ -n "${!key:-}" ]] || printf -v "$key" '%s' "$value" ;;
        esac
    done <"$ports_file"
fi
amqp_port="${IOFFICE_LOCAL_AMQP_PORT:-5672}"
mgmt_port="${IOFFICE_LOCAL_MGMT_PORT:-15672}"
pg_port="${IOFFICE_LOCAL_PG_PORT:-5432}"

# HTTP port of a service: IOFFICE_LOCAL_<SERVICE>_PORT, else the contract's default.
service_port_var() { printf 'IOFFICE_LOCAL_%s_PORT' "${1^^}"; }
service_port() {
    local var default
    var="$(service_port_var "$1")"
    case "$1" in
        documents) default=8080 ;; notify) default=8081 ;; calendar) default=8082 ;; signing) default=8083 ;; web) default=8000 ;;
        *) die "unknown service $1" ;;
    esac
    printf '%s' "${!var:-$default}"
}

check_port_number() { # name value
    if ! [[ "$2" =~ ^[0-9]{1,5}$ ]] || ((10#$2 < 1 || 10#$2 > 65535)); then
        die "$1 must be a TCP port number, not '$2'"
    fi
}
check_port_number IOFFICE_LOCAL_AMQP_PORT "$amqp_port"
check_port_number IOFFICE_LOCAL_MGMT_PORT "$mgmt_port"
check_port_number IOFFICE_LOCAL_PG_PORT "$pg_port"
for _svc in "${processes[@]}"; do check_port_number "$(service_port_var "$_svc")" "$(service_port "$_svc")"; done
unset _svc
# Erlang distribution listens on the AMQP port + 20000 (RabbitMQ's own convention), so moving the
# AMQP port also moves it away from another node's.
dist_port=$((10#$amqp_port + 20000))
((dist_port <= 65535)) || die "IOFFICE_LOCAL_AMQP_PORT must be at most 45535 (the Erlang distribution port is it + 20000)"

record_ports() {
    local svc var
    {
        printf 'IOFFICE_LOCAL_AMQP_PORT=%s\nIOFFICE_LOCAL_MGMT_PORT=%s\nIOFFICE_LOCAL_PG_PORT=%s\n' \
            "$amqp_port" "$mgmt_port" "$pg_port"
        for svc in "${processes[@]}"; do
            var="$(service_port_var "$svc")"
            printf '%s=%s\n' "$var" "$(service_port "$svc")"
        done
    } >"$ports_file"
}

# True when something accepts TCP connections on 127.0.0.1:<port>. Plain bash, no extra tools.
port_open() { timeout 2 bash -c ": >/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Waits until 127.0.0.1:<port> accepts connections, up to <seconds>.
wait_port() { # port seconds
    local deadline=$((SECONDS + $2))
    until port_open "$1"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

# ---- privileges -------------------------------------------------------------------------------
is_root() { [[ "$(id -u)" == 0 ]]; }

as_root() {
    if is_root; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        die "need root for: $* (run as root or install sudo)"
    fi
}

package_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# Installs the Debian packages that are missing. A temporary policy-rc.d keeps the packages'
# install scripts from starting a system-wide RabbitMQ or PostgreSQL on the default ports: we run
# our own servers from .local/ instead.
ensure_packages() {
    local missing=() pkg added_policy=0
    for pkg in "$@"; do package_installed "$pkg" || missing+=("$pkg"); done
    ((${#missing[@]} > 0)) || return 0
    log "installing ${missing[*]}"
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\n# added by deploy/local/setup during apt-get install\nexit 101\n' |
            as_root tee /usr/sbin/policy-rc.d >/dev/null
        as_root chmod 755 /usr/sbin/policy-rc.d
        added_policy=1
    fi
    local status=0
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" ||
        status=$?
    ((added_policy == 0)) || as_root rm -f /usr/sbin/policy-rc.d
    ((status == 0)) || die "apt-get install ${missing[*]} failed"
}

# The test tools in Python (an iCalendar parser, Selenium) live in a virtual environment of the
# stack, never in the system's Python.
python_venv="$local_dir/python"
ensure_python_packages() { # module-name=pip-name...
    local missing=() spec
    if [[ ! -x "$python_venv/bin/python" ]]; then
        python3 -m venv "$python_venv" 2>/dev/null || /usr/bin/python3 -m venv "$python_venv" || die "cannot make $python_venv"
    fi
    for spec in "$@"; do
        "$python_venv/bin/python" -c "import ${spec%%=*}" 2>/dev/null || missing+=("${spec#*=}")
    done
    ((${#missing[@]} == 0)) && return 0
    log "installing ${missing[*]} into $python_venv"
    "$python_venv/bin/python" -m pip install -q "${missing[@]}" >&2 || die "pip install ${missing[*]} failed"
}

# A server that runs as another system user (postgres, rabbitmq) must be able to walk down to
# .local/. When a parent folder (e.g. /root, mode 700) blocks it, add search permission (o+x, no
# read) to just that folder, and say so.
ensure_traversable() { # user path
    local user="$1" dir="$2" parts=() p
    runuser -u "$user" -- test -x "$dir" && return 0
    while [[ "$dir" != / ]]; do
        parts+=("$dir")
        dir="$(dirname "$dir")"
    done
    for ((p = ${#parts[@]} - 1; p >= 0; p--)); do
        if ! runuser -u "$user" -- test -x "${parts[p]}"; then
            log "granting search permission (o+x) on ${parts[p]} so that $user can reach .local/"
            chmod o+x "${parts[p]}"
        fi
    done
}

# ---- secrets ----------------------------------------------------------------------------------
# A password is generated once (128 random bits, hex so it needs no escaping in URLs, JSON or SQL)
# and kept in .local/secrets/<name> (mode 600); later runs reuse it.
secret() { # name
    local file="$secrets_dir/$1"
    if [[ ! -s "$file" ]]; then
        mkdir -p "$secrets_dir"
        chmod 700 "$secrets_dir"
        (
            umask 077
            head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$file.tmp"
            mv "$file.tmp" "$file"
        )
    fi
    cat "$file"
}

# ---- RabbitMQ ---------------------------------------------------------------------------------
# A second stack on the same host (another checkout) needs its own node name as well as ports.
rabbit_node="${IOFFICE_LOCAL_RABBIT_NODE:-rabbit@localhost}"
rabbit_dir="$local_dir/rabbitmq"
rabbit_log="$rabbit_dir/log/$rabbit_node.log"
rabbit_pidfile="$rabbit_dir/mnesia/$rabbit_node.pid"

# Debian's /usr/sbin/rabbitmq-* wrappers switch to the `rabbitmq` user when run as root (and refuse
# anyone else), so as root the server and its data belong to `rabbitmq`, whose Erlang cookie in
# /var/lib/rabbitmq is used by both server and CLI. As another user, call the real scripts directly:
# that user's own ~/.erlang.cookie is used on both sides.
rabbit_user() { if is_root; then echo rabbitmq; else id -un; fi; }
rabbit() { # script args...
    local script="$1"
    shift
    local bin="/usr/lib/rabbitmq/bin/$script"
    is_root && bin="/usr/sbin/$script"
    env \
        RABBITMQ_NODENAME="$rabbit_node" \
        RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
        RABBITMQ_NODE_PORT="$amqp_port" \
        RABBITMQ_DIST_PORT="$dist_port" \
        RABBITMQ_MNESIA_BASE="$rabbit_dir/mnesia" \
        RABBITMQ_LOG_BASE="$rabbit_dir/log" \
        RABBITMQ_CONFIG_FILE="$rabbit_dir/rabbitmq.conf" \
        RABBITMQ_ADVANCED_CONFIG_FILE="$rabbit_dir/advanced.config" \
        RABBITMQ_CONF_ENV_FILE="$rabbit_dir/rabbitmq-env.conf" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$rabbit_dir/enabled_plugins" \
        "$bin" "$@"
}
rabbitctl() { rabbit rabbitmqctl -q -n "$rabbit_node" "$@"; }

# Our node is running when the pid file in .local/rabbitmq names a live process.
broker_running() {
    local pid
    [[ -s "$rabbit_pidfile" ]] || return 1
    pid="$(<"$rabbit_pidfile")"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

broker_prepare() {
    local user
    user="$(rabbit_user)"
    mkdir -p "$rabbit_dir/mnesia" "$rabbit_dir/log"
    # Management API and AMQP on the loopback interface only; the guest user is deleted by setup.
    cat >"$rabbit_dir/rabbitmq.conf" <<EOF
# Written by deploy/local/lib.sh on every start; edit that file instead.
management.tcp.ip = 127.0.0.1
management.tcp.port = $mgmt_port
# shared/CONTRACTS.md "Broker": a document with its attachments is at most 64 MiB; larger publishes
# are refused by the broker, so no partner can make it buffer more.
max_message_size = 67108864
EOF
    # The Erlang distribution port (used by rabbitmqctl) on loopback only as well.
    cat >"$rabbit_dir/advanced.config" <<'EOF'
[{kernel, [{inet_dist_use_interface, {127,0,0,1}}]}].
EOF
    # An empty env file of our own, so /etc/rabbitmq/rabbitmq-env.conf cannot redirect the node.
    : >"$rabbit_dir/rabbitmq-env.conf"
    printf '[rabbitmq_management].\n' >"$rabbit_dir/enabled_plugins"
    # What this start uses, to tell a later run asking for other ports.
    printf '%s %s\n' "$amqp_port" "$mgmt_port" >"$rabbit_dir/ports"
    if is_root; then
        ensure_traversable "$user" "$rabbit_dir"
        chown -R "$user:" "$rabbit_dir"
    fi
}

broker_start() {
    if broker_running; then
        local started
        started="$(cat "$rabbit_dir/ports" 2>/dev/null || true)"
        [[ -z "$started" || "$started" == "$amqp_port $mgmt_port" ]] ||
            die "RabbitMQ is running with AMQP and management ports $started; to change IOFFICE_LOCAL_AMQP_PORT or IOFFICE_LOCAL_MGMT_PORT, stop it first (deploy/local/down)"
        wait_port "$amqp_port" 60 || die "our RabbitMQ runs but does not accept AMQP on 127.0.0.1:$amqp_port"
        log "RabbitMQ already running (amqp 127.0.0.1:$amqp_port)"
        return 0
    fi
    if epmd -names 2>/dev/null | grep -q "^name ${rabbit_node%@*} at port"; then
        die "another Erlang node named $rabbit_node is already running on this machine (not ours: stop it, e.g. 'rabbitmqctl -n $rabbit_node stop')"
    fi
    port_open "$amqp_port" && die "port $amqp_port (AMQP) is in use by another program: set IOFFICE_LOCAL_AMQP_PORT to a free port"
    port_open "$mgmt_port" && die "port $mgmt_port (RabbitMQ management) is in use by another program: set IOFFICE_LOCAL_MGMT_PORT to a free port"
    port_open "$dist_port" && die "port $dist_port (Erlang distribution = AMQP port + 20000) is in use: set IOFFICE_LOCAL_AMQP_PORT to another port"

    broker_prepare
    log "starting RabbitMQ $rabbit_node (amqp 127.0.0.1:$amqp_port, management 127.0.0.1:$mgmt_port, data $rabbit_dir)"
    rabbit rabbitmq-server -detached >>"$rabbit_dir/log/startup.log" 2>&1 ||
        die "rabbitmq-server did not start; see $rabbit_dir/log/"
    # await_startup gives up at once while the node is not yet reachable, hence the loop. The clock
    # starts here (bash's SECONDS is the whole script's age, long after an apt-get install). The pid
    # file appears only some seconds into the boot, so its absence counts only after a grace period.
    local started_at=$SECONDS
    until rabbitctl await_startup --timeout 10 >/dev/null 2>&1; do
        local waited=$((SECONDS - started_at))
        if ((waited >= 180)) || { ((waited > 60)) && ! broker_running && ! broker_node_process >/dev/null; }; then
            tail -n 30 "$rabbit_log" "$rabbit_dir/log/startup.log" >&2 2>/dev/null || true
            broker_kill # a node still booting must not outlive the failed start
            die "RabbitMQ did not start within $waited s; see $rabbit_dir/log/"
        fi
        sleep 1
    done
    if ! wait_port "$amqp_port" 30; then
        broker_kill
        die "RabbitMQ started but does not accept AMQP on 127.0.0.1:$amqp_port"
    fi
    log "RabbitMQ ready"
}

# The pid of our node's Erlang VM, found by its data folder (also before the pid file exists).
broker_node_process() {
    local pid
    if broker_running; then
        cat "$rabbit_pidfile"
        return 0
    fi
    # The VM's command line does not name the folder; its environment does.
    for pid in $(pgrep -x beam.smp || true); do
        if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "RABBITMQ_MNESIA_BASE=$rabbit_dir/mnesia"; then
            printf '%s' "$pid"
            return 0
        fi
    done
    return 1
}

# SIGKILL of our node, the fault the chaos and fault tests use (no flush, no goodbye to clients).
broker_kill() {
    local pid
    if ! pid="$(broker_node_process)"; then
        log "RabbitMQ not running"
        return 0
    fi
    log "killing RabbitMQ (SIGKILL, pid $pid)"
    kill -KILL "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    # epmd forgets the node once its VM is gone; wait for that so an immediate start finds the name free.
    deadline=$((SECONDS + 10))
    while epmd -names 2>/dev/null | grep -q "^name ${rabbit_node%@*} at port" && ((SECONDS < deadline)); do sleep 0.2; done
    rm -f "$rabbit_pidfile"
}

broker_stop() {
    if ! broker_running; then
        # A node whose start was cut short may run without its pid file: stop it all the same.
        if broker_node_process >/dev/null; then
            broker_kill
        else
            log "RabbitMQ not running"
        fi
        return 0
    fi
    log "stopping RabbitMQ"
    # With the pid file, `stop` returns only once the OS process has exited (data flushed).
    rabbitctl stop "$rabbit_pidfile" >/dev/null || die "rabbitmqctl stop failed; see $rabbit_log"
    local deadline=$((SECONDS + 30))
    while port_open "$amqp_port" && ((SECONDS < deadline)); do sleep 0.5; done
    log "RabbitMQ stopped"
}

broker_status() {
    if broker_running && port_open "$amqp_port"; then
        echo "rabbitmq: running ($rabbit_node, amqp 127.0.0.1:$amqp_port, management http://127.0.0.1:$mgmt_port)"
    elif broker_running; then
        echo "rabbitmq: starting or not accepting connections ($rabbit_node)"
        return 1
    else
        echo "rabbitmq: stopped"
        return 3
    fi
}

# ---- PostgreSQL -------------------------------------------------------------------------------
pg_bin=/usr/lib/postgresql/15/bin
pg_dir="$local_dir/postgres"
pg_data="$pg_dir/data"
pg_run="$pg_dir/run"
pg_log="$pg_dir/log/postgres.log"

# PostgreSQL refuses to run as root: as root it runs as the `postgres` system user (created by the
# Debian package), otherwise as the current user. That user is also the cluster's superuser, which
# logs in only over the Unix socket (peer authentication); TCP requires a scram-sha-256 password.
pg_user() { if is_root; then echo postgres; else id -un; fi; }
as_pg() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}
pg_psql() { # args... (SQL on stdin)
    as_pg "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$pg_run" -p "$pg_port" -U "$(pg_user)" "$@"
}

postgres_running() { [[ -f "$pg_data/PG_VERSION" ]] && as_pg "$pg_bin/pg_ctl" status -D "$pg_data" >/dev/null 2>&1; }

postgres_prepare() {
    local user
    user="$(pg_user)"
    mkdir -p "$pg_dir/log" "$pg_run"
    if is_root; then
        ensure_traversable "$user" "$pg_dir"
        chown "$user:" "$pg_dir" "$pg_dir/log" "$pg_run"
    fi
    chmod 700 "$pg_dir" "$pg_run"
    if [[ ! -f "$pg_data/PG_VERSION" ]]; then
        log "creating the PostgreSQL cluster in $pg_data"
        rm -rf "$pg_data"
        as_pg "$pg_bin/initdb" -D "$pg_data" -U "$user" -E UTF8 --locale=C.UTF-8 \
            --auth-local=peer --auth-host=scram-sha-256 --no-instructions >"$pg_dir/log/initdb.log" 2>&1 ||
            die "initdb failed; see $pg_dir/log/initdb.log"
        echo "include_if_exists = 'ioffice-local.conf'" | as_pg tee -a "$pg_data/postgresql.conf" >/dev/null
    fi
    # Rewritten on every start, so a changed IOFFICE_LOCAL_PG_PORT takes effect.
    as_pg tee "$pg_data/ioffice-local.conf" >/dev/null <<EOF
# Written by deploy/local/lib.sh on every start; edit that file instead.
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$pg_run'
password_encryption = 'scram-sha-256'
EOF
}

postgres_start() {
    [[ -x "$pg_bin/pg_ctl" ]] || die "PostgreSQL 15 is not installed ($pg_bin/pg_ctl missing)"
    if postgres_running; then
        port_open "$pg_port" ||
            die "our PostgreSQL runs, but not on port $pg_port; to change IOFFICE_LOCAL_PG_PORT, stop it first (deploy/local/down)"
        log "PostgreSQL already running (127.0.0.1:$pg_port)"
        return 0
    fi
    port_open "$pg_port" && die "port $pg_port (PostgreSQL) is in use by another program: set IOFFICE_LOCAL_PG_PORT to a free port"
    postgres_prepare
    log "starting PostgreSQL 15 (127.0.0.1:$pg_port, data $pg_data)"
    as_pg "$pg_bin/pg_ctl" start -D "$pg_data" -l "$pg_log" -w -t 60 >/dev/null || {
        tail -n 20 "$pg_log" >&2 || true
        die "PostgreSQL did not start; see $pg_log"
    }
    log "PostgreSQL ready"
}

postgres_stop() {
    if ! postgres_running; then
        log "PostgreSQL not running"
        return 0
    fi
    log "stopping PostgreSQL"
    # fast: roll back open transactions and shut down cleanly (a checkpoint, no recovery next start).
    as_pg "$pg_bin/pg_ctl" stop -D "$pg_data" -m fast -w -t 60 >/dev/null
    log "PostgreSQL stopped"
}

# Immediate shutdown: every backend is killed at once and the next start recovers from the WAL, as
# after a crash. The fault tests use it.
postgres_stop_immediate() {
    postgres_running || { log "PostgreSQL not running"; return 0; }
    log "stopping PostgreSQL in immediate mode"
    as_pg "$pg_bin/pg_ctl" stop -D "$pg_data" -m immediate -w -t 60 >/dev/null
}

postgres_status() {
    if postgres_running; then
        echo "postgres: running (127.0.0.1:$pg_port, socket $pg_run, data $pg_data)"
    else
        echo "postgres: stopped"
        return 3
    fi
}

# ---- the four services ------------------------------------------------------------------------
build_config() {
    local config="${IOFFICE_BUILD_CONFIG:-debug}"
    [[ "$config" == debug || "$config" == release ]] || die "IOFFICE_BUILD_CONFIG must be debug or release, not '$config'"
    printf '%s' "$config"
}

service_pid() { # svc → prints the pid of our running service, or fails
    local file="$run_dir/$1.pid" pid
    [[ -s "$file" ]] || return 1
    pid="$(<"$file")"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    # Guard against a recycled pid: the process must still run our binary (as its program, or as
    # the script an interpreter runs). A zombie has an empty command line and fails this too.
    tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "/$1\$" || return 1
    printf '%s' "$pid"
}

supervisor_pid() { # svc → prints the pid of the service's running supervisor, or fails
    local file="$run_dir/$1.supervisor.pid" pid
    [[ -s "$file" ]] || return 1
    pid="$(<"$file")"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "/supervise\$" || return 1
    printf '%s' "$pid"
}

# Starts one service in its own session (so a Ctrl-C in the terminal does not reach it; we stop it
# in order), with its env file, appending to its log.
service_start() { # svc config
    local svc="$1" config="$2" bin="$root/.build/$2/$1" port
    port="$(service_port "$svc")"
    if service_pid "$svc" >/dev/null || supervisor_pid "$svc" >/dev/null; then
        log "$svc already running (pid $(service_pid "$svc" || echo "restarting"))"
        return 0
    fi
    [[ -x "$bin" ]] || die "$bin is missing: swift build -c $config"
    [[ -f "$env_dir/$svc.env" ]] || die "$env_dir/$svc.env is missing: run deploy/local/setup"
    port_open "$port" && die "port $port ($svc HTTP) is in use by another program: set $(service_port_var "$svc") to a free port"
    mkdir -p "$logs_dir" "$run_dir"
    printf '\n==== %s starting %s (%s) ====\n' "$(date -Is)" "$svc" "$config" >>"$logs_dir/$svc.log"
    # The supervisor writes its own pid and each run's service pid, and starts the service again when
    # it dies (deploy/local/supervise). The outer ( … & ) makes init its parent, so no script reaps it.
    rm -f "$run_dir/$svc.pid" "$run_dir/$svc.supervisor.pid"
    (setsid "$root/deploy/local/supervise" "$svc" "$run_dir/$svc.pid" "$env_dir/$svc.env" "$bin" \
        "$run_dir/$svc.supervisor.pid" </dev/null >>"$logs_dir/$svc.log" 2>&1 &)
    local deadline=$((SECONDS + 5))
    until [[ -s "$run_dir/$svc.pid" ]] || ((SECONDS >= deadline)); do sleep 0.1; done
    log "$svc started (pid $(<"$run_dir/$svc.pid"), log $logs_dir/$svc.log)"
}

http_status() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" 2>/dev/null || true; }

# Waits until every service answers /ready with 200. On failure shows the failing service's log.
services_wait_ready() { # seconds
    local deadline=$((SECONDS + $1)) pending=("${processes[@]}") still svc
    while ((${#pending[@]} > 0)); do
        still=()
        for svc in "${pending[@]}"; do
            if ! service_pid "$svc" >/dev/null; then
                log "$svc exited during start-up; last lines of $logs_dir/$svc.log:"
                tail -n 40 "$logs_dir/$svc.log" >&2 || true
                return 1
            fi
            if [[ "$(http_status "http://127.0.0.1:$(service_port "$svc")/ready")" == 200 ]]; then
                log "$svc ready"
            else
                still+=("$svc")
            fi
        done
        pending=("${still[@]+"${still[@]}"}")
        ((${#pending[@]} == 0)) && break
        if ((SECONDS >= deadline)); then
            for svc in "${pending[@]}"; do
                log "$svc did not answer /ready with 200 within $1 s; last lines of $logs_dir/$svc.log:"
                tail -n 40 "$logs_dir/$svc.log" >&2 || true
            done
            return 1
        fi
        sleep 1
    done
}

print_addresses() {
    local svc
    for svc in "${processes[@]}"; do
        printf '%-10s http://127.0.0.1:%s\n' "$svc" "$(service_port "$svc")"
    done
    printf '%-10s amqp://127.0.0.1:%s/ioffice (management http://127.0.0.1:%s)\n' rabbitmq "$amqp_port" "$mgmt_port"
    printf '%-10s postgres://127.0.0.1:%s\n' postgres "$pg_port"
    printf 'credentials: %s/<service>.env\n' "$env_dir"
    printf 'open http://127.0.0.1:%s and log in as admin / %s (one-time: you must change it; after that, your own)\n' \
        "$(service_port web)" "$(secret admin-initial-password)"
}

# SIGTERM to every running service, then SIGKILL whichever has not exited after the timeout.
services_stop() {
    local timeout="${IOFFICE_STOP_TIMEOUT:-20}" svc pid sup running=() deadline
    for svc in "${processes[@]}"; do
        # The supervisor first, so that it does not start the service again; it passes SIGTERM on.
        pid="$(service_pid "$svc")" || pid=""
        if sup="$(supervisor_pid "$svc")"; then
            kill -TERM "$sup" 2>/dev/null || true
        elif [[ -n "$pid" ]]; then
            kill -TERM "$pid" 2>/dev/null || true
        fi
        if [[ -n "$pid" ]]; then
            log "stopping $svc (pid $pid)"
            running+=("$svc:$pid")
        fi
    done
    deadline=$((SECONDS + timeout))
    for entry in "${running[@]+"${running[@]}"}"; do
        svc="${entry%%:*}" pid="${entry#*:}"
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then
            log "$svc did not stop within $timeout s: killing it"
            kill -KILL "$pid" 2>/dev/null || true
        else
            log "$svc stopped"
        fi
        rm -f "$run_dir/$svc.pid"
    done
    for svc in "${processes[@]}"; do
        if sup="$(supervisor_pid "$svc")"; then
            while kill -0 "$sup" 2>/dev/null && ((SECONDS < deadline + 5)); do sleep 0.2; done
            kill -KILL "$sup" 2>/dev/null || true
        fi
        rm -f "$run_dir/$svc.supervisor.pid"
    done
}
