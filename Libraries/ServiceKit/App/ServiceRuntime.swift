import AMQPClient
import Contracts
import Foundation
import Hummingbird
import JWTKit
import Logging
import Metrics
import PostgresNIO
import Prometheus
import ServiceLifecycle

/// What every service is made of: its database client, a publishing and a consuming broker connection,
/// readiness and metrics. `run` starts them as one service group that shuts down gracefully on SIGTERM:
/// consumers first (finish and ack what they hold), then HTTP, then the database pool.
public final class ServiceRuntime: Sendable {
    public let settings: ServiceSettings
    public let logger: Logger
    public let postgres: PostgresClient
    public let publisher: AMQPConnection
    public let consumerConnection: AMQPConnection
    public let readiness: Readiness
    public let registry: PrometheusCollectorRegistry
    /// Checks bearer tokens on every `/api/v1` route.
    public let verifier: TokenVerifier

    /// Sets up process-wide logging and metrics; call once, from `main`.
    public static func bootstrap(_ settings: ServiceSettings) -> PrometheusCollectorRegistry {
        let level = settings.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }

    /// `makeVerifier` builds the token verifier from the database client (Documents checks sessions
    /// there); by default the verifier fetches Documents' public keys from `settings.jwksURL`.
    public init(
        settings: ServiceSettings, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        makeVerifier: ((PostgresClient) -> TokenVerifier)? = nil
    ) throws {
        self.settings = settings
        self.registry = registry
        var logger = Logger(label: "ioffice.\(settings.name)")
        logger.logLevel = settings.logLevel
        self.logger = logger
        postgres = PostgresClient(configuration: try DatabaseURL.configuration(settings.databaseURL), backgroundLogger: logger)
        verifier =
            try makeVerifier?(postgres) ?? TokenVerifier(keys: JWTKeyCollection(), source: settings.keySetSource())
        publisher = AMQPConnection(configuration: try settings.amqpConfiguration(role: "publish"), logger: logger)
        consumerConnection = AMQPConnection(configuration: try settings.amqpConfiguration(role: "consume"), logger: logger)
        readiness = Readiness(client: postgres, connections: [publisher, consumerConnection], logger: logger)
    }

    /// A worker for `queue`; with `producers` (service names), messages published by any other broker user
    /// are dead-lettered as forged.
    public func worker(
        queue: String, handler: any MessageHandler, prefetch: UInt16 = 32, concurrency: Int = 1, producers: [String]? = nil
    ) -> QueueWorker {
        QueueWorker(
            queue: queue, prefetch: prefetch, concurrency: concurrency, consumerConnection: consumerConnection, publisher: publisher,
            client: postgres, handler: handler, producers: producers.map { Set($0.map(settings.brokerUser(of:))) },
            deadLetterExchange: Routes.deadLetterExchange, logger: logger)
    }

    /// The router every service starts from: metrics, problem details, the operational routes, and an
    /// authenticated `/api/v1` group (with `GET /api/v1/me`) handed to `routes` next to the router itself,
    /// where public routes go.
    public static func router(
        settings: ServiceSettings, readiness: Readiness, registry: PrometheusCollectorRegistry, verifier: TokenVerifier,
        allowedBeforePasswordChange: Set<String> = [], routes: RouteBuilder = { _, _ in }
    ) -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ProblemMiddleware())
        OperationalRoutes.add(to: router, service: settings.name, readiness: readiness, registry: registry)
        let api = router.group("api/v1")
            .add(middleware: AuthMiddleware(verifier: verifier, allowedBeforePasswordChange: allowedBeforePasswordChange))
            .addMeRoute()
        routes(router, api)
        return router
    }

    /// Runs the service as a process's `main`: on a fatal error, logs it and exits with status 1
    /// (instead of crashing), so operators read one clear line.
    public func runAsMain(
        migrations: [Migration], topology: Topology, workers: [QueueWorker] = [], background: [any Service] = [],
        startup: @escaping StartupStep = { _ in }, allowedBeforePasswordChange: Set<String> = [], routes: RouteBuilder = { _, _ in }
    ) async -> Never {
        do {
            try await run(
                migrations: migrations, topology: topology, workers: workers, background: background, startup: startup,
                allowedBeforePasswordChange: allowedBeforePasswordChange, routes: routes)
            logger.info("\(settings.name) stopped")
            exit(0)
        } catch {
            logger.critical("\(settings.name) failed", metadata: ["error": "\(String(reflecting: error))"])
            exit(1)
        }
    }

    /// Runs until SIGTERM/SIGINT: migrates the schema, runs `startup` (data the service needs before it
    /// is ready), declares the topology, then relays the outbox, runs `workers` and `background` jobs, and serves HTTP
    /// (`/health`, `/ready`, `/metrics` plus `routes`).
    public func run(
        migrations: [Migration], topology: Topology, workers: [QueueWorker] = [], background: [any Service] = [],
        startup: @escaping StartupStep = { _ in }, allowedBeforePasswordChange: Set<String> = [], routes: RouteBuilder = { _, _ in }
    ) async throws {
        let router = Self.router(
            settings: settings, readiness: readiness, registry: registry, verifier: verifier,
            allowedBeforePasswordChange: allowedBeforePasswordChange, routes: routes)
        let http = Application(
            router: router,
            configuration: .init(address: .hostname(settings.httpHost, port: settings.httpPort), serverName: settings.name),
            logger: logger)
        let messaging = MessagingService(
            runtime: self, migrations: migrations, topology: topology, workers: workers, background: background, startup: startup,
            relay: OutboxRelay(client: postgres, publisher: publisher, appID: settings.name, logger: logger))
        let group = ServiceGroup(
            configuration: .init(
                services: [postgres, http, messaging], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

extension ServiceRuntime {
    /// Adds a service's routes: public ones on the router, authenticated ones on the `/api/v1` group.
    public typealias RouteBuilder = (Router<ServiceRequestContext>, RouterGroup<ServiceRequestContext>) -> Void
    /// Work after migrations and before the service reports ready, such as creating the first account.
    public typealias StartupStep = @Sendable (ServiceRuntime) async throws -> Void
}

/// Start-up (migrations, topology) followed by the outbox relay and the queue workers.
struct MessagingService: Service {
    let runtime: ServiceRuntime
    let migrations: [Migration]
    let topology: Topology
    let workers: [QueueWorker]
    /// Periodic jobs, started with the workers once start-up is done.
    let background: [any Service]
    let startup: ServiceRuntime.StartupStep
    let relay: OutboxRelay

    func run() async throws {
        let logger = runtime.logger
        let migrator = Migrator(client: runtime.postgres, logger: logger)
        // A shutdown while start-up still waits for the database or broker is a clean exit.
        let started: Bool
        do {
            started = try await cancelWhenGracefulShutdown {
                try await retrying("database migrations", logger: logger) {
                    try await migrator.migrate(component: MessagingMigrations.component, MessagingMigrations.all)
                    try await migrator.migrate(component: runtime.settings.name, migrations)
                }
                try await retrying("start-up data", logger: logger) { try await startup(runtime) }
                try await retrying("broker topology", logger: logger) {
                    try await runtime.publisher.waitUntilConnected(timeout: .seconds(5))
                    try await runtime.publisher.declare(topology)
                }
                return true
            }
        } catch is CancellationError {
            started = false
        }
        if started {
            runtime.readiness.markStarted()
            logger.info("\(runtime.settings.name) started", metadata: ["http": "\(runtime.settings.httpHost):\(runtime.settings.httpPort)"])
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await relay.run() }
                for worker in workers { group.addTask { try await worker.run() } }
                for job in background { group.addTask { try await job.run() } }
            }
        }
        await runtime.consumerConnection.close()
        await runtime.publisher.close()
    }

    /// Retries a start-up step until it works (the database or broker may start after us).
    private func retrying(_ what: String, logger: Logger, _ step: () async throws -> Void) async throws {
        var delay = Duration.milliseconds(250)
        while true {
            do {
                return try await step()
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning("\(what) failed, retrying", metadata: ["error": "\(String(reflecting: error))"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}
