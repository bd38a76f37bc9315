import CRabbitMQ

extension ConnectionEngine {
    /// Runs one command on the connection thread. Throws only errors that end the connection;
    /// everything else is answered to the waiting caller.
    func run(_ command: Command) throws(AMQPError) {
        switch command {
        case .publish(let message, let continuation):
            try publish(message, .single(continuation))
        case .publishBatch(let messages, let continuation):
            let batch = BatchConfirms(count: messages.count, continuation: continuation)
            for (index, message) in messages.enumerated() {
                do {
                    try publish(message, .batch(batch, index: index))
                } catch {
                    // The connection died at `index`: the rest were never written, and are answered too.
                    for rest in (index + 1)..<messages.count { batch.settle(rest, .connectionLost("\(error)")) }
                    throw error
                }
            }
        case .settle(let settlement):
            try settle(settlement)
        case .rpc(let operation):
            try perform(operation)
        case .consume(let registration, let continuation):
            consumers[registration.id] = ConsumerState(registration: registration)
            guard connection != nil else {
                continuation?.resume()  // attached once connected
                return
            }
            do {
                try attach(consumerID: registration.id)
                continuation?.resume()
            } catch {
                if error.isConnectionFatal {
                    // Kept registered: it is attached after the reconnect this error causes.
                    continuation?.resume()
                    throw error
                }
                consumers.removeValue(forKey: registration.id)
                registration.buffer.finish(throwing: error)
                continuation?.resume(throwing: error)
            }
        case .cancel(let id, let continuation):
            defer { continuation.resume() }  // whatever happens to the connection
            try cancel(consumerID: id)
        case .flushAcks(let continuation):
            defer { continuation.resume() }  // written, or the connection is gone and the broker requeues
            try sendCollectedAcks()
        case .shutdown(let continuation):
            stopping = true
            shutdownWaiters.append(continuation)
        }
    }

    private func publish(_ message: OutgoingMessage, _ waiter: ConfirmWaiter) throws(AMQPError) {
        guard let connection else { return waiter.finish(.notConnected) }
        if !publishChannelOpen {
            do {
                try openPublishChannel()
            } catch {
                waiter.finish(error)
                if error.isConnectionFatal { throw error }
                return
            }
        }
        let arena = CArena()
        defer { withExtendedLifetime(arena) {} }  // until the C calls are done
        var sent = message.properties
        if message.mandatory {
            // A basic.return names its publish by this header (ConfirmTracker).
            sent.headers[ConfirmTracker.publishSequenceHeader] = String(confirms.nextTag)
        }
        var properties = arena.properties(sent)
        let status = message.body.withUnsafeBytes { raw in
            amqp_basic_publish(
                connection, Self.publishChannel, arena.bytes(message.exchange), arena.bytes(message.routingKey),
                message.mandatory ? 1 : 0, 0, &properties,
                amqp_bytes_t(len: raw.count, bytes: UnsafeMutableRawPointer(mutating: raw.baseAddress)))
        }
        guard status == AMQP_STATUS_OK.rawValue else {
            waiter.finish(.connectionLost("publish failed: \(AMQPError(status))"))
            throw AMQPError(status)
        }
        confirms.published(waiter: waiter)
    }

    /// Records an ack for the next `multiple` ack of its channel, or sends a nack at once.
    private func settle(_ settlement: Settlement) throws(AMQPError) {
        // A delivery from an earlier connection can no longer be settled; the broker requeued it.
        guard let connection, settlement.generation == generation,
            consumerByChannel[settlement.channel] != nil
        else { return }
        unsettledDeliveries = max(0, unsettledDeliveries - 1)
        settlementPollMilliseconds = 2
        let isAck = if case .ack = settlement.kind { true } else { false }
        if ackWindows[settlement.channel, default: AckWindow()].settle(settlement.deliveryTag, ack: isAck),
            case .nack(let requeue) = settlement.kind
        {
            let status = amqp_basic_nack(connection, settlement.channel, settlement.deliveryTag, 0, requeue ? 1 : 0)
            guard status == AMQP_STATUS_OK.rawValue else { throw AMQPError(status) }
        }
        if closingChannels.contains(settlement.channel) { try closeIfSettled(settlement.channel) }
    }

    /// Sends one `multiple` ack per channel for what the readers acked since the last call.
    func sendCollectedAcks() throws(AMQPError) {
        guard let connection else { return }
        for channel in Array(ackWindows.keys) {
            guard let tag = ackWindows[channel]?.takeAck() else { continue }
            let status = amqp_basic_ack(connection, channel, tag, 1)
            guard status == AMQP_STATUS_OK.rawValue else { throw AMQPError(status) }
        }
    }

    private func perform(_ operation: RPCOperation) throws(AMQPError) {
        guard connection != nil else {
            if case .declare(let topology, let continuation) = operation {
                topologies.append(topology)  // declared once connected
                return continuation.resume()
            }
            return operation.fail(.notConnected)
        }
        do {
            switch operation {
            case .declare(let topology, let continuation):
                try declare(topology)
                topologies.append(topology)
                continuation.resume()
            case .queueStatus(let name, let continuation):
                continuation.resume(returning: try declareQueue(name, passive: true, arguments: []))
            case .deleteQueue(let name, let continuation):
                let arena = CArena()
                defer { withExtendedLifetime(arena) {} }  // until the C calls are done
                try withRPCChannel { connection, channel in
                    amqp_queue_delete(connection, channel, arena.bytes(name), 0, 0)
                }
                continuation.resume()
            case .purgeQueue(let name, let continuation):
                var count = 0
                let arena = CArena()
                defer { withExtendedLifetime(arena) {} }  // until the C calls are done
                try withRPCChannel { connection, channel in
                    let ok = amqp_queue_purge(connection, channel, arena.bytes(name))
                    count = Int(ok?.pointee.message_count ?? 0)
                }
                continuation.resume(returning: count)
            }
        } catch {
            if error.isConnectionFatal, case .declare(let topology, let continuation) = operation {
                topologies.append(topology)  // declared again once reconnected, like one sent while disconnected
                continuation.resume()
            } else {
                operation.fail(error)
            }
            if error.isConnectionFatal { throw error }
        }
    }

    /// Declares exchanges, then each queue's dead-letter queue and the queue, then bindings.
    func declare(_ topology: Topology) throws(AMQPError) {
        let arena = CArena()
        defer { withExtendedLifetime(arena) {} }  // until the C calls are done
        for exchange in topology.exchanges {
            try withRPCChannel { connection, channel in
                amqp_exchange_declare(
                    connection, channel, arena.bytes(exchange.name), arena.bytes(exchange.kind),
                    exchange.passive ? 1 : 0, 1, 0, 0, amqp_empty_table)
            }
        }
        for queue in topology.queues {
            if queue.deadLetterQueue {
                _ = try declareQueue(queue.deadLetterName, passive: false, arguments: queue.deadLetterArguments)
                if let exchange = topology.deadLetterExchange {
                    try withRPCChannel { connection, channel in
                        amqp_queue_bind(
                            connection, channel, arena.bytes(queue.deadLetterName), arena.bytes(exchange),
                            arena.bytes(queue.deadLetterName), amqp_empty_table)
                    }
                }
            }
            _ = try declareQueue(queue.name, passive: false, arguments: queue.arguments(deadLetterExchange: topology.deadLetterExchange ?? ""))
        }
        for binding in topology.bindings {
            try withRPCChannel { connection, channel in
                amqp_queue_bind(
                    connection, channel, arena.bytes(binding.queue), arena.bytes(binding.exchange),
                    arena.bytes(binding.routingKey), amqp_empty_table)
            }
        }
    }

    private func declareQueue(_ name: String, passive: Bool, arguments: [(String, Topology.ArgumentValue)]) throws(AMQPError)
        -> QueueStatus
    {
        var status = QueueStatus(messageCount: 0, consumerCount: 0)
        let arena = CArena()
        defer { withExtendedLifetime(arena) {} }  // until the C calls are done
        try withRPCChannel { connection, channel in
            let ok = amqp_queue_declare(
                connection, channel, arena.bytes(name), passive ? 1 : 0, 1, 0, 0, arena.table(arguments))
            if let ok {
                status = QueueStatus(messageCount: Int(ok.pointee.message_count), consumerCount: Int(ok.pointee.consumer_count))
            }
        }
        return status
    }

    /// Runs a synchronous call on the RPC channel, reopening it if an earlier error closed it.
    private func withRPCChannel(_ call: (amqp_connection_state_t, amqp_channel_t) -> Void) throws(AMQPError) {
        guard let connection else { throw .notConnected }
        if !rpcChannelOpen {
            amqp_channel_open(connection, Self.rpcChannel)
            try check(amqp_get_rpc_reply(connection), on: Self.rpcChannel, connection: connection)
            rpcChannelOpen = true
        }
        call(connection, Self.rpcChannel)
        try check(amqp_get_rpc_reply(connection), on: Self.rpcChannel, connection: connection)
    }

    /// Opens a channel for a registered consumer, sets its prefetch and starts consuming.
    func attach(consumerID id: UInt64) throws(AMQPError) {
        guard let connection, let consumer = consumers[id] else { return }
        let channel = try freeConsumerChannel()
        let arena = CArena()
        defer { withExtendedLifetime(arena) {} }  // until the C calls are done
        amqp_channel_open(connection, channel)
        try check(amqp_get_rpc_reply(connection), on: channel, connection: connection)
        amqp_basic_qos(connection, channel, 0, consumer.registration.prefetch, 0)
        try check(amqp_get_rpc_reply(connection), on: channel, connection: connection)
        let ok = amqp_basic_consume(
            connection, channel, arena.bytes(consumer.registration.queue), amqp_empty_bytes, 0, 0, 0,
            amqp_empty_table)
        try check(amqp_get_rpc_reply(connection), on: channel, connection: connection)
        consumers[id]?.channel = channel
        consumers[id]?.consumerTag = ok?.pointee.consumer_tag.string
        consumerByChannel[channel] = id
        ackWindows[channel] = AckWindow()
    }

    /// A channel number no consumer holds, reusing those of consumers that are gone, so that retried
    /// attachments never run the numbers out.
    private func freeConsumerChannel() throws(AMQPError) -> amqp_channel_t {
        var channel = Self.firstConsumerChannel
        while consumerByChannel[channel] != nil || closingChannels.contains(channel) {
            guard channel < Self.lastConsumerChannel else { throw .library(code: -1, text: "no free AMQP channel") }
            channel += 1
        }
        return channel
    }

    /// Stops deliveries to a consumer (basic.cancel). Deliveries its reader has not taken yet, and those
    /// the broker sent before it saw the cancel, go back to the queue (nack, requeue). Those the reader
    /// holds may still be settled; once they all are, the channel is closed.
    private func cancel(consumerID id: UInt64) throws(AMQPError) {
        guard let consumer = consumers.removeValue(forKey: id) else { return }
        let unread = consumer.registration.buffer.drain()
        guard let connection, let channel = consumer.channel, let tag = consumer.consumerTag else { return }
        let arena = CArena()
        defer { withExtendedLifetime(arena) {} }  // until the C calls are done
        amqp_basic_cancel(connection, channel, arena.bytes(tag))
        do {
            try check(amqp_get_rpc_reply(connection), on: channel, connection: connection)
        } catch let error where !error.isConnectionFatal {
            logger.debug("basic.cancel failed", metadata: ["error": "\(error)"])
        }
        unsettledDeliveries = max(0, unsettledDeliveries - unread.count)
        for delivery in unread { try requeue(deliveryTag: delivery.deliveryTag, on: channel) }
        guard consumerByChannel[channel] != nil else { return }  // the broker closed it meanwhile
        closingChannels.insert(channel)
        try closeIfSettled(channel)
    }

    /// Gives a delivery back to its queue: nobody will handle it on this channel.
    func requeue(deliveryTag: UInt64, on channel: amqp_channel_t) throws(AMQPError) {
        guard let connection else { return }
        _ = ackWindows[channel, default: AckWindow()].settle(deliveryTag, ack: false)
        let status = amqp_basic_nack(connection, channel, deliveryTag, 0, 1)
        guard status == AMQP_STATUS_OK.rawValue else { throw AMQPError(status) }
    }

    /// Closes a cancelled consumer's channel once every delivery on it is settled, sending its last acks first.
    private func closeIfSettled(_ channel: amqp_channel_t) throws(AMQPError) {
        guard let connection, ackWindows[channel]?.isSettled ?? true else { return }
        if let tag = ackWindows[channel]?.takeAck() {
            let status = amqp_basic_ack(connection, channel, tag, 1)
            guard status == AMQP_STATUS_OK.rawValue else { throw AMQPError(status) }
        }
        closingChannels.remove(channel)
        consumerByChannel.removeValue(forKey: channel)
        ackWindows.removeValue(forKey: channel)
        partialContent.removeValue(forKey: channel)
        amqp_channel_close(connection, channel, AMQP_REPLY_SUCCESS)
        do {
            try check(amqp_get_rpc_reply(connection), on: channel, connection: connection)
        } catch let error where !error.isConnectionFatal {
            logger.debug("channel.close failed", metadata: ["error": "\(error)"])
        }
    }

    /// Turns an RPC reply into an error; answers a broker's close so the channel can be reopened.
    func check(_ reply: amqp_rpc_reply_t, on channel: amqp_channel_t, connection: amqp_connection_state_t) throws(AMQPError) {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            throw AMQPError(reply.library_error)
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if reply.reply.id == IOFFICE_CHANNEL_CLOSE, let decoded = reply.reply.decoded {
                let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                sendCloseOK(channel: channel, connection: connection)
                throw .channelClosed(code: Int(close.reply_code), text: close.reply_text.string)
            }
            if reply.reply.id == IOFFICE_CONNECTION_CLOSE, let decoded = reply.reply.decoded {
                let close = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                var ok = amqp_connection_close_ok_t()
                amqp_send_method(connection, 0, IOFFICE_CONNECTION_CLOSE_OK, &ok)
                throw .connectionClosed(code: Int(close.reply_code), text: close.reply_text.string)
            }
            throw .library(code: -1, text: "unexpected broker reply \(reply.reply.id)")
        default:
            throw .library(code: -1, text: "no reply from the broker")
        }
    }

    /// Confirms a channel the broker closed, and forgets what was bound to it.
    func sendCloseOK(channel: amqp_channel_t, connection: amqp_connection_state_t) {
        var ok = amqp_channel_close_ok_t()
        amqp_send_method(connection, channel, IOFFICE_CHANNEL_CLOSE_OK, &ok)
        partialContent.removeValue(forKey: channel)
        switch channel {
        case Self.rpcChannel: rpcChannelOpen = false
        case Self.publishChannel: publishChannelOpen = false
        default: break
        }
    }
}
