import CRabbitMQ
import Foundation
import Logging
import Synchronization

/// Owns one librabbitmq connection on one dedicated thread.
///
/// librabbitmq is not thread-safe and answers heartbeats only while called, so everything that touches
/// `connection` runs on `thread`, which loops: run queued commands, sleep in poll(2) on the socket and the
/// mailbox's wake pipe, read whatever frames arrived. Callers never block: they queue a command and await
/// its continuation. Marked `@unchecked Sendable` because all mutable state below `mailbox` is confined
/// to that thread; `mailbox` and `connected` are the only members touched from other threads.
final class ConnectionEngine: @unchecked Sendable {
    static let publishChannel: amqp_channel_t = 1
    static let rpcChannel: amqp_channel_t = 2
    static let firstConsumerChannel: amqp_channel_t = 10
    /// RabbitMQ's default `channel_max` is 2047.
    static let lastConsumerChannel: amqp_channel_t = 2047

    let configuration: AMQPConfiguration
    let logger: Logger
    let mailbox = Mailbox()
    let connected = Atomic<Bool>(false)
    let connectCount = Atomic<Int>(0)
    /// Times the thread woke from poll(2) with the socket connected, for the test that it does not spin.
    let wakeups = Atomic<Int>(0)
    /// What failed to be declared or re-attached on the current connection, for readiness: read from
    /// any thread, written by the connection thread.
    let problems = Mutex<[String]>([])

    // Thread-confined state.
    var connection: amqp_connection_state_t?
    var generation: UInt64 = 0
    var stopping = false
    var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    var lastHeardFrom = ContinuousClock.now
    var rpcChannelOpen = false
    var publishChannelOpen = false
    var confirms = ConfirmTracker()
    var topologies: [Topology] = []
    var consumers: [UInt64: ConsumerState] = [:]
    var consumerByChannel: [amqp_channel_t: UInt64] = [:]
    /// Channels of cancelled consumers, closed once their last delivery is settled.
    var closingChannels: Set<amqp_channel_t> = []
    /// Topologies (by index) that failed to declare on this connection; retried with back-off, like
    /// consumers that failed to attach (those without a channel while connected).
    var undeclaredTopologies: Set<Int> = []
    var repairAt: ContinuousClock.Instant?
    var repairBackoff = Duration.seconds(1)
    var partialContent: [amqp_channel_t: PartialContent] = [:]
    var ackWindows: [amqp_channel_t: AckWindow] = [:]
    /// Deliveries completed during the current read batch, handed to their readers at its end.
    var readyDeliveries: [UInt64: [AMQPDelivery]] = [:]
    /// Deliveries handed to readers and not yet settled: while any are, the thread polls for their acks.
    var unsettledDeliveries = 0
    /// That poll's period: 2 ms while acks keep coming, so they travel in `multiple` batches soon after
    /// they are given; doubling up to 100 ms while readers hold deliveries without settling any (a slow
    /// handler), so that a held delivery does not keep the thread waking 500 times a second.
    var settlementPollMilliseconds: Int32 = 2

    struct ConsumerState {
        var registration: ConsumerRegistration
        var channel: amqp_channel_t?
        var consumerTag: String?
    }

    init(configuration: AMQPConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "amqp-\(configuration.connectionName)"
        thread.start()
    }

    // MARK: - The loop

    private func run() {
        var backoff = configuration.reconnectBackoff.lowerBound
        while !stopping {
            if connection == nil {
                do {
                    try connect()
                    backoff = configuration.reconnectBackoff.lowerBound
                } catch {
                    let delay = backoff.jittered()
                    logger.warning("AMQP connect failed, retrying", metadata: ["error": "\(error)", "in": "\(delay)"])
                    idle(for: delay)
                    backoff = min(backoff * 2, configuration.reconnectBackoff.upperBound)
                }
                continue
            }
            do {
                try runCommands()
                if stopping { break }
                try repairIfDue()
                try pump()
            } catch {
                logger.warning("AMQP connection lost, reconnecting", metadata: ["error": "\(error)"])
                tearDown(reason: error)
            }
        }
        finish()
    }

    /// While disconnected: wait out the back-off, still answering commands (publishes fail fast).
    private func idle(for delay: Duration) {
        let deadline = ContinuousClock.now + delay
        while !stopping, ContinuousClock.now < deadline {
            try? runCommands()
            if stopping { return }
            let remaining = deadline - ContinuousClock.now
            if mailbox.prepareToSleep() {
                var fds = [pollfd(fd: mailbox.wakeReadFD, events: Int16(POLLIN), revents: 0)]
                _ = poll(&fds, 1, Int32(max(1, remaining.milliseconds)))
                mailbox.awoke()
            }
        }
    }

    /// Sleeps until the socket or the mailbox has something, then reads all available frames.
    private func pump() throws(AMQPError) {
        guard let connection else { return }
        // Woken only by the mailbox: the socket has nothing new, so skip the read syscalls.
        var socketMayHaveData = true
        if amqp_frames_enqueued(connection) == 0 && amqp_data_in_buffer(connection) == 0 && mailbox.prepareToSleep() {
            var fds = [
                pollfd(fd: amqp_get_sockfd(connection), events: Int16(POLLIN), revents: 0),
                pollfd(fd: mailbox.wakeReadFD, events: Int16(POLLIN), revents: 0),
            ]
            let heartbeat = configuration.heartbeatSeconds
            let timeout = unsettledDeliveries > 0 ? settlementPollMilliseconds : Int32(heartbeat > 0 ? min(1000, heartbeat * 500) : 1000)
            let ready = poll(&fds, 2, timeout)
            wakeups.add(1, ordering: .relaxed)
            mailbox.awoke()
            if ready == 0, unsettledDeliveries > 0 { settlementPollMilliseconds = min(settlementPollMilliseconds * 2, 100) }
            if fds[0].revents != 0 {
                lastHeardFrom = .now
            } else if fds[1].revents != 0 {
                socketMayHaveData = false
            }
        }
        if socketMayHaveData { try readFrames() }
        // A broker that went silent (network gone) is noticed here, since the non-blocking reads never wait.
        let heartbeat = configuration.heartbeatSeconds
        if heartbeat > 0, ContinuousClock.now - lastHeardFrom > .seconds(heartbeat * 2) {
            throw .library(code: AMQP_STATUS_HEARTBEAT_TIMEOUT.rawValue, text: "no data from the broker for \(heartbeat * 2) s")
        }
    }

    /// Reads frames without waiting, up to a batch, so queued acks and publishes are not starved.
    /// Each call also lets librabbitmq send a heartbeat when one is due. The socket is read once;
    /// after that only what librabbitmq already buffered, since poll(2) says when more arrives.
    private func readFrames() throws(AMQPError) {
        guard let connection else { return }
        var zero = timeval(tv_sec: 0, tv_usec: 0)
        var frame = amqp_frame_t()
        var socketRead = false
        for _ in 0..<512 {
            if amqp_frames_enqueued(connection) == 0 && amqp_data_in_buffer(connection) == 0 {
                if socketRead { break }
                socketRead = true
            }
            let status = amqp_simple_wait_frame_noblock(connection, &frame, &zero)
            if status == AMQP_STATUS_TIMEOUT.rawValue { break }
            guard status == AMQP_STATUS_OK.rawValue else { throw AMQPError(status) }
            lastHeardFrom = .now
            try handle(frame)
            if self.connection == nil { return }
        }
        handOverDeliveries()
        amqp_maybe_release_buffers(connection)
    }

    /// Gives each consumer what arrived for it in this batch.
    func handOverDeliveries() {
        if !readyDeliveries.isEmpty { settlementPollMilliseconds = 2 }
        for (id, deliveries) in readyDeliveries {
            unsettledDeliveries += deliveries.count
            consumers[id]?.registration.buffer.yield(contentsOf: deliveries)
        }
        readyDeliveries.removeAll(keepingCapacity: true)
    }

    /// Runs queued commands. After a fatal error the rest still run, on the disconnected path.
    private func runCommands() throws(AMQPError) {
        var fatal: AMQPError?
        for command in mailbox.takeAll() {
            do {
                try run(command)
            } catch {
                if fatal == nil {
                    tearDown(reason: error)
                    fatal = error
                }
            }
        }
        if let fatal { throw fatal }
        try sendCollectedAcks()
    }

    // MARK: - Connecting

    private func connect() throws(AMQPError) {
        guard let connection = amqp_new_connection() else { throw .library(code: -1, text: "out of memory") }
        do {
            try open(connection)
        } catch {
            amqp_destroy_connection(connection)
            throw error
        }
        self.connection = connection
        generation += 1
        lastHeardFrom = .now
        rpcChannelOpen = false
        publishChannelOpen = false
        do {
            try openPublishChannel()
            // One topology or consumer the broker refuses (a queue deleted during an outage, a permission
            // taken away) must not keep the others down: it is noted and retried with back-off.
            undeclaredTopologies = Set(topologies.indices)
            repairBackoff = .seconds(1)
            try repair()
        } catch {
            tearDown(reason: error)
            throw error
        }
        connected.store(true, ordering: .releasing)
        connectCount.add(1, ordering: .relaxed)
        logger.info(
            "AMQP connected",
            metadata: ["host": "\(configuration.host):\(configuration.port)", "vhost": "\(configuration.virtualHost)"])
    }

    /// Declares the topologies not yet declared on this connection and attaches the consumers without
    /// a channel; what the broker refuses stays for the next try. Throws only connection-fatal errors.
    private func repair() throws(AMQPError) {
        var failures: [String] = []
        for index in undeclaredTopologies.sorted() {
            do {
                try declare(topologies[index])
                undeclaredTopologies.remove(index)
            } catch let error where !error.isConnectionFatal {
                failures.append("topology \(topologies[index].summary): \(error)")
            }
        }
        for id in consumers.keys.sorted() where consumers[id]?.channel == nil {
            do {
                try attach(consumerID: id)
            } catch let error where !error.isConnectionFatal {
                failures.append("consumer of \(consumers[id]?.registration.queue ?? "?"): \(error)")
            }
        }
        problems.withLock { $0 = failures }
        if failures.isEmpty {
            repairAt = nil
            repairBackoff = .seconds(1)
        } else {
            let delay = repairBackoff.jittered()
            logger.warning(
                "AMQP topology or consumer not attached, retrying", metadata: ["problems": "\(failures)", "in": "\(delay)"])
            repairAt = .now + delay
            repairBackoff = min(repairBackoff * 2, .seconds(30))
        }
    }

    private func repairIfDue() throws(AMQPError) {
        guard let repairAt, ContinuousClock.now >= repairAt, connection != nil else { return }
        try repair()
    }

    private func open(_ connection: amqp_connection_state_t) throws(AMQPError) {
        let socket: OpaquePointer?
        if configuration.useTLS {
            socket = amqp_ssl_socket_new(connection)
            if let socket {
                amqp_ssl_socket_set_verify_peer(socket, 1)
                amqp_ssl_socket_set_verify_hostname(socket, 1)
                if let ca = configuration.caCertificatePath, amqp_ssl_socket_set_cacert(socket, ca) != 0 {
                    throw .library(code: -1, text: "cannot read CA certificate \(ca)")
                }
            }
        } else {
            socket = amqp_tcp_socket_new(connection)
        }
        guard let socket else { throw .library(code: -1, text: "cannot create socket") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        let status = amqp_socket_open_noblock(socket, configuration.host, Int32(configuration.port), &timeout)
        guard status == AMQP_STATUS_OK.rawValue else { throw AMQPError(status) }
        var rpcTimeout = timeval(tv_sec: Int(configuration.rpcTimeout.seconds), tv_usec: 0)
        _ = amqp_set_rpc_timeout(connection, &rpcTimeout)
        let reply = ioffice_amqp_login(
            connection, configuration.virtualHost, 0, 131_072, Int32(configuration.heartbeatSeconds),
            configuration.user, configuration.password, configuration.connectionName)
        try check(reply, on: 0, connection: connection)
    }

    func openPublishChannel() throws(AMQPError) {
        guard let connection else { throw .notConnected }
        amqp_channel_open(connection, Self.publishChannel)
        try check(amqp_get_rpc_reply(connection), on: Self.publishChannel, connection: connection)
        amqp_confirm_select(connection, Self.publishChannel)
        try check(amqp_get_rpc_reply(connection), on: Self.publishChannel, connection: connection)
        publishChannelOpen = true
        confirms.reset()
    }

    /// Drops the connection: unconfirmed publishes fail (outcome unknown), consumers stay registered
    /// and are re-attached after the next connect; unacked deliveries return to their queues.
    func tearDown(reason: any Error) {
        connected.store(false, ordering: .releasing)
        if let connection {
            amqp_destroy_connection(connection)
        }
        connection = nil
        partialContent.removeAll()
        ackWindows.removeAll()
        readyDeliveries.removeAll()
        unsettledDeliveries = 0
        consumerByChannel.removeAll()
        closingChannels.removeAll()
        repairAt = nil
        for id in consumers.keys {
            consumers[id]?.channel = nil
            consumers[id]?.consumerTag = nil
        }
        confirms.failAll(.connectionLost("\(reason)"))
    }

    // MARK: - Shutting down

    private func finish() {
        // Give outstanding publishes a moment to be confirmed before closing.
        let deadline = ContinuousClock.now + .seconds(5)
        while connection != nil, !confirms.isEmpty, ContinuousClock.now < deadline {
            do { try pump() } catch { tearDown(reason: error) }
        }
        if let connection {
            for consumer in consumers.values {
                if let channel = consumer.channel { amqp_channel_close(connection, channel, AMQP_REPLY_SUCCESS) }
            }
            amqp_channel_close(connection, Self.publishChannel, AMQP_REPLY_SUCCESS)
            amqp_connection_close(connection, AMQP_REPLY_SUCCESS)
        }
        tearDown(reason: AMQPError.shutdown)
        confirms.failAll(.shutdown)
        for consumer in consumers.values { consumer.registration.buffer.finish() }
        consumers.removeAll()
        for command in mailbox.refuseNewCommands() { command.fail(.shutdown) }
        for waiter in shutdownWaiters { waiter.resume() }
        logger.info("AMQP connection closed", metadata: ["name": "\(configuration.connectionName)"])
    }
}

extension AMQPError {
    init(_ status: Int32) {
        self = .library(code: status, text: String(cString: amqp_error_string2(status)))
    }
}

extension Duration {
    /// A random share of itself, between half and all of it, so that many clients that lost the same
    /// broker do not all come back at the same instant.
    public func jittered() -> Duration { self * Double.random(in: 0.5...1.0) }

    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
    var seconds: Int { Int(components.seconds) }
}
