import AsyncHTTPClient
import Foundation
import Hummingbird
import JWTKit
import Logging
import ServiceKit

// Web: the Vietnamese web front end over the four services' HTTP APIs. It keeps no data of its own.
let settings = WebSettings()
var logger = Logger(label: "ioffice.web")
logger.logLevel = Logger.Level(rawValue: ProcessInfo.processInfo.environment["IOFFICE_LOG_LEVEL"] ?? "info") ?? .info
// Calls to the services, and the live event streams apart: a stream holds its connection for as long
// as a page is open, and must never make a page's calls wait for a free one.
func client(connectionsPerHost: Int) -> HTTPClient {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
    return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
}
let app = WebApp(
    backend: Backend(settings: settings, client: client(connectionsPerHost: 64)), streams: client(connectionsPerHost: 4096),
    renderer: try await Renderer.load(), settings: settings, logger: logger,
    verifier: TokenVerifier(keys: JWTKeyCollection(), source: try RemoteKeySet(url: settings.jwksURL)))

let router = Router(context: WebRequestContext.self)
router.add(middleware: StaticAssets())
router.get("health") { _, _ in "ok" }
router.get("ready") { _, _ -> Response in
    // Ready when Documents, which every page needs, answers.
    let answer = try? await app.backend.call(.GET, .documents, "/health", token: nil)
    return Response(status: answer?.status == 200 ? .ok : .serviceUnavailable)
}
AuthPages(app: app).add(to: router)
IncomingPages(app: app).add(to: router)
OutgoingPages(app: app).add(to: router)
TaskPages(app: app).add(to: router)
DossierPages(app: app).add(to: router)
FilePages(app: app).add(to: router)
UrgentPages(app: app).add(to: router)
SearchPage.add(to: router, app: app)
Directory.add(to: router, app: app)
AdminPages(app: app).add(to: router)
CalendarPages(app: app).add(to: router)
CatalogPages(app: app).add(to: router)
NotifyPages(app: app).add(to: router)

let server = Application(router: router, configuration: .init(address: .hostname(settings.host, port: settings.port)), logger: logger)
logger.info("web front end on http://\(settings.host):\(settings.port)")
try await server.runService()
