#ifndef IOFFICE_CRABBITMQ_H
#define IOFFICE_CRABBITMQ_H

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>

/// Non-variadic wrapper of amqp_login_with_properties (Swift cannot call C variadics).
/// PLAIN mechanism; `connection_name` shows in the broker's connection list.
amqp_rpc_reply_t ioffice_amqp_login(amqp_connection_state_t state, const char *vhost,
                                    int channel_max, int frame_max, int heartbeat,
                                    const char *user, const char *password,
                                    const char *connection_name);

// Method ids and flags are casted macros in amqp_framing.h, which Swift does not import.
static const amqp_method_number_t IOFFICE_BASIC_DELIVER = AMQP_BASIC_DELIVER_METHOD;
static const amqp_method_number_t IOFFICE_BASIC_ACK = AMQP_BASIC_ACK_METHOD;
static const amqp_method_number_t IOFFICE_BASIC_NACK = AMQP_BASIC_NACK_METHOD;
static const amqp_method_number_t IOFFICE_BASIC_RETURN = AMQP_BASIC_RETURN_METHOD;
static const amqp_method_number_t IOFFICE_BASIC_CANCEL = AMQP_BASIC_CANCEL_METHOD;
static const amqp_method_number_t IOFFICE_CHANNEL_CLOSE = AMQP_CHANNEL_CLOSE_METHOD;
static const amqp_method_number_t IOFFICE_CHANNEL_CLOSE_OK = AMQP_CHANNEL_CLOSE_OK_METHOD;
static const amqp_method_number_t IOFFICE_CONNECTION_CLOSE = AMQP_CONNECTION_CLOSE_METHOD;
static const amqp_method_number_t IOFFICE_CONNECTION_CLOSE_OK = AMQP_CONNECTION_CLOSE_OK_METHOD;

static const amqp_flags_t IOFFICE_FLAG_CONTENT_TYPE = AMQP_BASIC_CONTENT_TYPE_FLAG;
static const amqp_flags_t IOFFICE_FLAG_CONTENT_ENCODING = AMQP_BASIC_CONTENT_ENCODING_FLAG;
static const amqp_flags_t IOFFICE_FLAG_HEADERS = AMQP_BASIC_HEADERS_FLAG;
static const amqp_flags_t IOFFICE_FLAG_DELIVERY_MODE = AMQP_BASIC_DELIVERY_MODE_FLAG;
static const amqp_flags_t IOFFICE_FLAG_PRIORITY = AMQP_BASIC_PRIORITY_FLAG;
static const amqp_flags_t IOFFICE_FLAG_CORRELATION_ID = AMQP_BASIC_CORRELATION_ID_FLAG;
static const amqp_flags_t IOFFICE_FLAG_REPLY_TO = AMQP_BASIC_REPLY_TO_FLAG;
static const amqp_flags_t IOFFICE_FLAG_EXPIRATION = AMQP_BASIC_EXPIRATION_FLAG;
static const amqp_flags_t IOFFICE_FLAG_MESSAGE_ID = AMQP_BASIC_MESSAGE_ID_FLAG;
static const amqp_flags_t IOFFICE_FLAG_TIMESTAMP = AMQP_BASIC_TIMESTAMP_FLAG;
static const amqp_flags_t IOFFICE_FLAG_TYPE = AMQP_BASIC_TYPE_FLAG;
static const amqp_flags_t IOFFICE_FLAG_USER_ID = AMQP_BASIC_USER_ID_FLAG;
static const amqp_flags_t IOFFICE_FLAG_APP_ID = AMQP_BASIC_APP_ID_FLAG;

#endif
