import CRabbitMQ

extension ConnectionEngine {
    /// Acts on one frame read from the broker.
    func handle(_ frame: amqp_frame_t) throws(AMQPError) {
        let channel = frame.channel
        switch Int32(frame.frame_type) {
        case AMQP_FRAME_METHOD:
            try handleMethod(frame.payload.method, on: channel)
        case AMQP_FRAME_HEADER:
            guard var content = partialContent[channel], let decoded = frame.payload.properties.decoded else { return }
            content.properties = AMQPProperties(decoded.assumingMemoryBound(to: amqp_basic_properties_t.self).pointee)
            let size = Int(frame.payload.properties.body_size)
            content.bodySize = size
            content.body.reserveCapacity(size)
            partialContent[channel] = content
            if content.isComplete { complete(channel) }
        case AMQP_FRAME_BODY:
            guard partialContent[channel] != nil else { return }
            let fragment = frame.payload.body_fragment
            if fragment.len > 0, let bytes = fragment.bytes {
                partialContent[channel]!.body.append(
                    contentsOf: UnsafeRawBufferPointer(start: bytes, count: fragment.len))
            }
            if partialContent[channel]!.isComplete { complete(channel) }
        default:
            break
        }
    }

    private func handleMethod(_ method: amqp_method_t, on channel: amqp_channel_t) throws(AMQPError) {
        guard let connection else { return }
        switch method.id {
        case IOFFICE_BASIC_DELIVER:
            let deliver = method.decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
            partialContent[channel] = PartialContent(
                origin: .delivery(
                    tag: deliver.delivery_tag, redelivered: deliver.redelivered != 0,
                    exchange: deliver.exchange.string, routingKey: deliver.routing_key.string))
        case IOFFICE_BASIC_RETURN:
            let returned = method.decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            partialContent[channel] = PartialContent(
                origin: .returned(code: Int(returned.reply_code), text: returned.reply_text.string))
        case IOFFICE_BASIC_ACK:
            let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            confirms.settle(upTo: ack.delivery_tag, multiple: ack.multiple != 0, acked: true)
        case IOFFICE_BASIC_NACK:
            let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            confirms.settle(upTo: nack.delivery_tag, multiple: nack.multiple != 0, acked: false)
        case IOFFICE_BASIC_CANCEL:
            // The broker cancelled a consumer (e.g. its queue was deleted).
            if let id = consumerByChannel.removeValue(forKey: channel), let consumer = consumers.removeValue(forKey: id) {
                consumer.registration.buffer.finish(
                    throwing: AMQPError.channelClosed(code: 0, text: "consumer cancelled by the broker"))
                amqp_channel_close(connection, channel, AMQP_REPLY_SUCCESS)
            }
        case IOFFICE_CHANNEL_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            let error = AMQPError.channelClosed(code: Int(close.reply_code), text: close.reply_text.string)
            logger.warning("AMQP channel closed by broker", metadata: ["channel": "\(channel)", "error": "\(error)"])
            sendCloseOK(channel: channel, connection: connection)
            if channel == Self.publishChannel {
                confirms.failAll(error)
            } else if let id = consumerByChannel.removeValue(forKey: channel), let consumer = consumers.removeValue(forKey: id) {
                consumer.registration.buffer.finish(throwing: error)
            }
        case IOFFICE_CONNECTION_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            var ok = amqp_connection_close_ok_t()
            amqp_send_method(connection, 0, IOFFICE_CONNECTION_CLOSE_OK, &ok)
            throw .connectionClosed(code: Int(close.reply_code), text: close.reply_text.string)
        default:
            logger.debug("AMQP method ignored", metadata: ["id": "\(method.id)", "channel": "\(channel)"])
        }
    }

    /// A delivery or a returned message has all its frames: hand it on.
    private func complete(_ channel: amqp_channel_t) {
        guard let content = partialContent.removeValue(forKey: channel) else { return }
        switch content.origin {
        case .returned(let code, let text):
            confirms.returned(
                sequence: content.properties.headers[ConfirmTracker.publishSequenceHeader], error: .unroutable(code: code, text: text))
        case .delivery(let tag, let redelivered, let exchange, let routingKey):
            guard let id = consumerByChannel[channel] else { return }  // its channel is closed: the broker requeued it
            ackWindows[channel]?.delivered(tag)
            guard consumers[id] != nil else {
                // Sent before the broker saw our basic.cancel: nobody reads it, so it goes back at once.
                try? requeue(deliveryTag: tag, on: channel)
                return
            }
            readyDeliveries[id, default: []].append(
                AMQPDelivery(
                    body: content.body, properties: content.properties, exchange: exchange, routingKey: routingKey,
                    redelivered: redelivered, deliveryTag: tag, channel: channel, generation: generation,
                    mailbox: mailbox))
        }
    }
}
