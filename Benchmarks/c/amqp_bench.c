/*
 * C baseline of `make bench`: the same work as Benchmarks/AMQPBench, done directly on librabbitmq-c.
 *
 *   amqp_bench <publish|consume> <amqp-url> <queue> <count> <window>
 *
 * publish: confirm mode; `count` persistent 1 KB messages (content_type application/json, a
 *          message_id each) to the default exchange with routing key <queue>, mandatory; at most
 *          `window` unconfirmed. Timed from the first publish to the last confirm.
 * consume: prefetch `window`; acks coalesced into `multiple` acks as the Swift client does: one
 *          for everything read so far whenever nothing more is buffered to read, or half the window
 *          is unacked, and one after the last delivery. Timed from right before basic.consume to the
 *          return of the write of the last ack.
 *
 * Prints `msgs_per_s: <int>` and `count: <n>` on stdout. The queue (a durable quorum queue) is
 * prepared by Benchmarks/run; this program does not declare it. Errors: message on stderr, exit 1.
 *
 * Build: cc -O2 -Wall -Wextra -o Benchmarks/c/amqp_bench Benchmarks/c/amqp_bench.c -lrabbitmq
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>

#define CHANNEL 1
#define BODY_SIZE 1024
#define HEARTBEAT_SECONDS 60

static void die(const char *what) {
    fprintf(stderr, "amqp_bench: %s\n", what);
    exit(1);
}

static void die_status(int status, const char *what) {
    if (status < 0) {
        fprintf(stderr, "amqp_bench: %s: %s\n", what, amqp_error_string2(status));
        exit(1);
    }
}

/* Reports a broker close (connection.close / channel.close) with its code and text. */
static void die_method(const amqp_method_t *method, const char *what) {
    switch (method->id) {
    case AMQP_CONNECTION_CLOSE_METHOD: {
        const amqp_connection_close_t *m = method->decoded;
        fprintf(stderr, "amqp_bench: %s: connection closed by broker: %u %.*s\n", what, m->reply_code,
                (int)m->reply_text.len, (const char *)m->reply_text.bytes);
        break;
    }
    case AMQP_CHANNEL_CLOSE_METHOD: {
        const amqp_channel_close_t *m = method->decoded;
        fprintf(stderr, "amqp_bench: %s: channel closed by broker: %u %.*s\n", what, m->reply_code,
                (int)m->reply_text.len, (const char *)m->reply_text.bytes);
        break;
    }
    case AMQP_BASIC_CANCEL_METHOD:
        fprintf(stderr, "amqp_bench: %s: consumer cancelled by broker (queue deleted?)\n", what);
        break;
    default:
        fprintf(stderr, "amqp_bench: %s: unexpected method %s\n", what, amqp_method_name(method->id));
        break;
    }
    exit(1);
}

static void die_reply(amqp_rpc_reply_t reply, const char *what) {
    switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
        return;
    case AMQP_RESPONSE_NONE:
        fprintf(stderr, "amqp_bench: %s: missing RPC reply\n", what);
        break;
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
        fprintf(stderr, "amqp_bench: %s: %s\n", what, amqp_error_string2(reply.library_error));
        break;
    case AMQP_RESPONSE_SERVER_EXCEPTION:
        die_method(&reply.reply, what);
        break;
    }
    exit(1);
}

static double now_seconds(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) die("clock_gettime failed");
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_result(long count, double seconds) {
    long rate = seconds > 0 ? (long)((double)count / seconds + 0.5) : 0;
    printf("msgs_per_s: %ld\n", rate);
    printf("count: %ld\n", count);
    fprintf(stderr, "amqp_bench: %ld messages in %.3f s\n", count, seconds);
}

/* ---- publish ---------------------------------------------------------------------------- */

struct confirms {
    uint8_t *settled;  /* settled[tag] != 0 once acked or nacked; tags are 1..count */
    uint64_t low;      /* lowest tag not yet settled */
    uint64_t published;
    uint64_t outstanding;
    uint64_t nacked;
    uint64_t returned;
};

static void settle(struct confirms *c, uint64_t tag, int multiple, int nack) {
    if (tag > c->published) die("confirm for a delivery tag never published");
    uint64_t from = multiple ? c->low : tag;
    for (uint64_t t = from; t <= tag; t++) {
        if (!c->settled[t]) {
            c->settled[t] = 1;
            c->outstanding--;
            if (nack) c->nacked++;
        }
    }
    while (c->low <= c->published && c->settled[c->low]) c->low++;
}

/* Reads one frame and handles it: basic.ack, basic.nack, basic.return (content discarded). */
static void read_confirm(amqp_connection_state_t conn, struct confirms *c) {
    amqp_frame_t frame;
    die_status(amqp_simple_wait_frame(conn, &frame), "waiting for confirms");
    if (frame.frame_type == AMQP_FRAME_METHOD) {
        switch (frame.payload.method.id) {
        case AMQP_BASIC_ACK_METHOD: {
            const amqp_basic_ack_t *ack = frame.payload.method.decoded;
            settle(c, ack->delivery_tag, ack->multiple, 0);
            break;
        }
        case AMQP_BASIC_NACK_METHOD: {
            const amqp_basic_nack_t *nack = frame.payload.method.decoded;
            settle(c, nack->delivery_tag, nack->multiple, 1);
            break;
        }
        case AMQP_BASIC_RETURN_METHOD: {
            /* An unroutable mandatory message: its header and body follow; the broker still
               acks it afterwards, so it is counted here as a failure. */
            amqp_message_t message;
            c->returned++;
            die_reply(amqp_read_message(conn, frame.channel, &message, 0), "reading a returned message");
            amqp_destroy_message(&message);
            break;
        }
        default:
            die_method(&frame.payload.method, "waiting for confirms");
        }
    }
    /* Heartbeats and anything else that is not a method are ignored. */
    amqp_maybe_release_buffers(conn);
}

static void run_publish(amqp_connection_state_t conn, const char *queue, long count, long window) {
    static char body[BODY_SIZE];
    /* A JSON object padded to exactly BODY_SIZE bytes. */
    int head = snprintf(body, sizeof body, "{\"benchmark\":\"amqp\",\"pad\":\"");
    memset(body + head, 'x', (size_t)(BODY_SIZE - head - 2));
    memcpy(body + BODY_SIZE - 2, "\"}", 2);

    amqp_confirm_select(conn, CHANNEL);
    die_reply(amqp_get_rpc_reply(conn), "confirm.select");

    struct confirms c = {0};
    c.settled = calloc((size_t)count + 2, 1);
    if (!c.settled) die("out of memory");
    c.low = 1;

    amqp_basic_properties_t props;
    memset(&props, 0, sizeof props);
    props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG;
    props.content_type = amqp_cstring_bytes("application/json");
    props.delivery_mode = 2; /* persistent */

    amqp_bytes_t exchange = amqp_cstring_bytes("");
    amqp_bytes_t routing_key = amqp_cstring_bytes(queue);
    amqp_bytes_t payload = {BODY_SIZE, body};
    char message_id[48];
    long pid = (long)getpid();

    double start = now_seconds();
    for (long i = 1; i <= count; i++) {
        int n = snprintf(message_id, sizeof message_id, "bench-%ld-%ld", pid, i);
        props.message_id.len = (size_t)n;
        props.message_id.bytes = message_id;
        die_status(amqp_basic_publish(conn, CHANNEL, exchange, routing_key, 1 /* mandatory */,
                                      0 /* immediate */, &props, payload),
                   "basic.publish");
        c.published++;
        c.outstanding++;
        while (c.outstanding >= (uint64_t)window) read_confirm(conn, &c);
    }
    while (c.outstanding > 0) read_confirm(conn, &c);
    double seconds = now_seconds() - start;

    free(c.settled);
    print_result(count, seconds);
    if (c.nacked || c.returned) {
        fprintf(stderr, "amqp_bench: %" PRIu64 " nacked, %" PRIu64 " returned\n", c.nacked, c.returned);
        exit(1);
    }
}

/* ---- consume ---------------------------------------------------------------------------- */

static void run_consume(amqp_connection_state_t conn, const char *queue, long count, long window) {
    if (window > 65535) die("prefetch must be at most 65535");
    amqp_basic_qos(conn, CHANNEL, 0, (uint16_t)window, 0);
    die_reply(amqp_get_rpc_reply(conn), "basic.qos");

    double start = now_seconds();
    amqp_basic_consume(conn, CHANNEL, amqp_cstring_bytes(queue), amqp_empty_bytes, 0 /* no_local */,
                       0 /* no_ack */, 0 /* exclusive */, amqp_empty_table);
    die_reply(amqp_get_rpc_reply(conn), "basic.consume");

    long received = 0, unacked = 0;
    while (received < count) {
        amqp_envelope_t envelope;
        amqp_maybe_release_buffers(conn);
        amqp_rpc_reply_t reply = amqp_consume_message(conn, &envelope, NULL, 0);
        if (reply.reply_type == AMQP_RESPONSE_NORMAL) {
            received++;
            unacked++;
            int idle = !amqp_data_in_buffer(conn) && !amqp_frames_enqueued(conn);
            if (idle || unacked >= window / 2 || received == count) {
                die_status(amqp_basic_ack(conn, envelope.channel, envelope.delivery_tag, 1 /* multiple */), "basic.ack");
                unacked = 0;
            }
            amqp_destroy_envelope(&envelope);
            continue;
        }
        if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
            reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
            /* Something other than a delivery came first: read it and act on it. */
            amqp_frame_t frame;
            die_status(amqp_simple_wait_frame(conn, &frame), "reading a non-delivery frame");
            if (frame.frame_type == AMQP_FRAME_METHOD) {
                switch (frame.payload.method.id) {
                case AMQP_BASIC_ACK_METHOD:
                    break; /* a stray confirm: nothing to do on a consuming channel */
                case AMQP_BASIC_RETURN_METHOD: {
                    amqp_message_t message;
                    die_reply(amqp_read_message(conn, frame.channel, &message, 0), "reading a returned message");
                    amqp_destroy_message(&message);
                    break;
                }
                default:
                    die_method(&frame.payload.method, "consuming");
                }
            }
            continue;
        }
        die_reply(reply, "consuming");
    }
    double seconds = now_seconds() - start;
    print_result(count, seconds);
}

/* ---- main ------------------------------------------------------------------------------- */

static long parse_positive(const char *text, const char *name) {
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value <= 0) {
        fprintf(stderr, "amqp_bench: %s must be a positive integer, got '%s'\n", name, text);
        exit(1);
    }
    return value;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: amqp_bench <publish|consume> <amqp-url> <queue> <count> <window>\n");
        return 1;
    }
    const char *mode = argv[1];
    const char *queue = argv[3];
    long count = parse_positive(argv[4], "count");
    long window = parse_positive(argv[5], "window");
    int publish = strcmp(mode, "publish") == 0;
    if (!publish && strcmp(mode, "consume") != 0) die("mode must be publish or consume");

    char *url = strdup(argv[2]); /* amqp_parse_url writes into its argument */
    if (!url) die("out of memory");
    struct amqp_connection_info info;
    amqp_default_connection_info(&info);
    die_status(amqp_parse_url(url, &info), "parsing the AMQP URL");
    if (info.ssl) die("amqps:// is not supported by this benchmark");

    amqp_connection_state_t conn = amqp_new_connection();
    if (!conn) die("out of memory");
    amqp_socket_t *socket = amqp_tcp_socket_new(conn);
    if (!socket) die("cannot create a TCP socket");
    die_status(amqp_socket_open(socket, info.host, info.port), "connecting");

    die_reply(amqp_login(conn, info.vhost, 0 /* channel_max */, AMQP_DEFAULT_FRAME_SIZE, HEARTBEAT_SECONDS,
                         AMQP_SASL_METHOD_PLAIN, info.user, info.password),
              "login");
    amqp_channel_open(conn, CHANNEL);
    die_reply(amqp_get_rpc_reply(conn), "channel.open");

    if (publish)
        run_publish(conn, queue, count, window);
    else
        run_consume(conn, queue, count, window);

    /* Unacked prefetched deliveries, if any, go back to the queue when the channel closes. */
    die_reply(amqp_channel_close(conn, CHANNEL, AMQP_REPLY_SUCCESS), "channel.close");
    die_reply(amqp_connection_close(conn, AMQP_REPLY_SUCCESS), "connection.close");
    die_status(amqp_destroy_connection(conn), "destroying the connection");
    free(url);
    fflush(stdout);
    return 0;
}
