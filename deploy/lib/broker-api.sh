# shellcheck shell=bash
# The RabbitMQ management HTTP API with curl, shared by deploy/local/setup and deploy/add-partner
# (sourced, not run). The caller sets `broker_admin_url` (http[s]://user:password@host:port, the
# credentials percent-encoded as in any URL).
#
# The URL, with its password, goes to curl in a config file on a pipe and request bodies on stdin,
# so no password ever shows in the process list.

# Percent-encodes a string for a URL's user, password or path segment (byte by byte, so UTF-8 works).
urlencode() {
    local LC_ALL=C s="$1" out="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c="${s:i:1}"
        case "$c" in
            [A-Za-z0-9._~-]) out+="$c" ;;
            *) out+="$(printf '%%%02X' "'$c")" ;;
        esac
    done
    printf '%s' "$out"
}

# A JSON string literal for a value without control characters.
json_string() {
    local s="${1//\\/\\\\}"
    printf '"%s"' "${s//\"/\\\"}"
}

# broker_api METHOD PATH [BODY]: calls <admin url>/api/PATH. Sets api_status (HTTP code, 000 when
# the broker could not be reached) and api_body; succeeds on 2xx only.
broker_api() {
    local method="$1" path="$2" body="${3-}" out
    : "${broker_admin_url:?set by the caller}"
    out="$(mktemp)"
    local args=(-s -S -X "$method" -o "$out" -w '%{http_code}' -m 30 -H 'content-type: application/json')
    [[ -z "$body" ]] || args+=(--data-binary @-)
    # The <(…) must sit on curl's own command line: its pipe lives only as long as that command.
    api_status="$(curl "${args[@]}" -K <(printf 'url = "%s/api/%s"\n' "${broker_admin_url%/}" "$path") \
        <<<"$body" 2>"$out.err")" || true
    api_body="$(cat "$out" "$out.err")"
    rm -f "$out" "$out.err"
    [[ "$api_status" == 2?? ]]
}

# Reports the failed call and exits.
api_fail() { # what
    printf '%s: error: %s: HTTP %s %s\n' "${script_name:-broker-api}" "$1" "$api_status" "$api_body" >&2
    exit 1
}

# Declares a durable topic exchange unless it exists (an existing one is left as its owner made it).
ensure_exchange() { # vhost_encoded name
    broker_api GET "exchanges/$1/$2" && return 0
    [[ "$api_status" == 404 ]] || api_fail "reading exchange $2"
    broker_api PUT "exchanges/$1/$2" '{"type":"topic","durable":true,"auto_delete":false,"internal":false,"arguments":{}}' ||
        api_fail "declaring exchange $2"
    printf '%s: declared exchange %s\n' "${script_name:-broker-api}" "$2" >&2
}

# Declares a durable quorum queue with its dead-letter queue `<name>.dlq`, unless they exist. The
# arguments must equal what the services declare (Libraries/AMQPClient/Topology.swift), or one side's
# declaration fails with PRECONDITION_FAILED.
ensure_quorum_queue() { # vhost_encoded name [dead-letter exchange] [max length bytes]
    local vhost="$1" name="$2" dlx="${3:-}" max_bytes="${4:-}" limit=""
    if ! broker_api GET "queues/$vhost/$name.dlq"; then
        [[ "$api_status" == 404 ]] || api_fail "reading queue $name.dlq"
        broker_api PUT "queues/$vhost/$name.dlq" '{"durable":true,"auto_delete":false,"arguments":{"x-queue-type":"quorum"}}' ||
            api_fail "declaring queue $name.dlq"
        printf '%s: declared queue %s\n' "${script_name:-broker-api}" "$name.dlq" >&2
    fi
    if [[ -n "$dlx" ]]; then
        # As Topology.deadLetterExchange binds it: the .dlq by its own name (binding twice is harmless).
        broker_api POST "bindings/$vhost/e/$(urlencode "$dlx")/q/$name.dlq" \
            "{\"routing_key\":$(json_string "$name.dlq"),\"arguments\":{}}" || api_fail "binding $name.dlq"
    fi
    [[ -z "$max_bytes" ]] || limit=",\"x-max-length-bytes\":$max_bytes"
    if ! broker_api GET "queues/$vhost/$name"; then
        [[ "$api_status" == 404 ]] || api_fail "reading queue $name"
        # The same arguments as Topology.Queue declares (AMQPClient/Topology.swift), or declares clash.
        broker_api PUT "queues/$vhost/$name" "$(
            printf '{"durable":true,"auto_delete":false,"arguments":{"x-queue-type":"quorum","x-dead-letter-exchange":%s,"x-dead-letter-routing-key":%s,"x-dead-letter-strategy":"at-least-once","x-overflow":"reject-publish","x-delivery-limit":5%s}}' \
                "$(json_string "$dlx")" "$(json_string "$name.dlq")" "$limit"
        )" || api_fail "declaring queue $name"
        printf '%s: declared queue %s\n' "${script_name:-broker-api}" "$name" >&2
    fi
}

# Creates the user or sets its password, without tags (no management access), then its permissions
# on the vhost (regular expressions, as RabbitMQ takes them).
put_user() { # name password vhost_encoded configure write read
    broker_api PUT "users/$(urlencode "$1")" "{\"password\":$(json_string "$2"),\"tags\":\"\"}" ||
        api_fail "creating user $1"
    broker_api PUT "permissions/$3/$(urlencode "$1")" \
        "{\"configure\":$(json_string "$4"),\"write\":$(json_string "$5"),\"read\":$(json_string "$6")}" ||
        api_fail "setting permissions of $1"
}

# Limits which routing keys a user may publish with (write) and bind its queues with (read) on one topic
# exchange; RabbitMQ applies it to topic exchanges only, and a user with no entry for an exchange is not
# limited on it, so every exchange a user can reach gets one.
put_topic_permission() { # name vhost_encoded exchange write read
    broker_api PUT "topic-permissions/$2/$(urlencode "$1")" \
        "{\"exchange\":$(json_string "$3"),\"write\":$(json_string "$4"),\"read\":$(json_string "$5")}" ||
        api_fail "setting topic permissions of $1 on $3"
}
