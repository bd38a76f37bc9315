import Foundation
import ServiceKit

/// What the web front end reads from its environment: where it listens and where the four services are.
struct WebSettings: Sendable {
    var host: String
    var port: Int
    var documentsURL: String
    var notifyURL: String
    var calendarURL: String
    var signingURL: String
    /// Documents' public token keys: the front end checks a token's signature before doing any work for it.
    var jwksURL: String
    /// Cookies only over HTTPS (browsers also send them to http://localhost); off only for a plain-HTTP
    /// deployment on another host name, which should not exist.
    var secureCookies: Bool
    /// Peers whose `X-Forwarded-For` is believed (a TLS proxy in front of the front end): their last hop
    /// is the browser's address, which the login passes on to Documents.
    var trustedProxies: TrustedProxies

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        func value(_ key: String, _ fallback: String) -> String {
            guard let value = environment[key], !value.isEmpty else { return fallback }
            return value
        }
        host = value("IOFFICE_HTTP_HOST", "127.0.0.1")
        port = Int(value("IOFFICE_HTTP_PORT", "8000")) ?? 8000
        documentsURL = value("IOFFICE_DOCUMENTS_URL", "http://127.0.0.1:8080")
        notifyURL = value("IOFFICE_NOTIFY_URL", "http://127.0.0.1:8081")
        calendarURL = value("IOFFICE_CALENDAR_URL", "http://127.0.0.1:8082")
        signingURL = value("IOFFICE_SIGNING_URL", "http://127.0.0.1:8083")
        jwksURL = value("IOFFICE_AUTH_JWKS_URL", documentsURL + "/.well-known/jwks.json")
        secureCookies = value("IOFFICE_WEB_SECURE_COOKIES", "on") != "off"
        trustedProxies = TrustedProxies(environment["IOFFICE_TRUSTED_PROXIES"])
    }
}
