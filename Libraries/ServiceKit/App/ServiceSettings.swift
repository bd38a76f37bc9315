import AMQPClient
import Foundation
import Logging

/// What a service reads from its environment. Every variable has a default, so a service runs against a
/// local stack with none set; `deploy/README.md` lists them.
public struct ServiceSettings: Sendable {
    /// The service's name: `documents`, `notify`, `calendar` or `signing`.
    public var name: String
    public var amqpURL: String
    public var databaseURL: String
    public var httpHost: String
    public var httpPort: Int
    public var logLevel: Logger.Level
    public var agencyCode: String
    public var agencyName: String
    public var agencyAbbreviation: String
    /// Where Documents publishes the public keys of its access tokens (`IOFFICE_AUTH_JWKS_URL`).
    public var jwksURL: String
    /// Every other `IOFFICE_*` variable, for service-specific settings.
    public var environment: [String: String]

    public init(name: String, defaultPort: Int, environment: [String: String] = ProcessInfo.processInfo.environment) {
        func value(_ key: String, _ fallback: String) -> String {
            guard let value = environment[key], !value.isEmpty else { return fallback }
            return value
        }
        self.name = name
        amqpURL = value("IOFFICE_AMQP_URL", "amqp://\(name)@127.0.0.1:5672/ioffice")  // no default password, ever
        databaseURL = value("IOFFICE_DATABASE_URL", "postgres://ioffice_\(name)@127.0.0.1:5432/ioffice_\(name)")
        httpHost = value("IOFFICE_HTTP_HOST", "127.0.0.1")
        httpPort = Int(value("IOFFICE_HTTP_PORT", "\(defaultPort)")) ?? defaultPort
        logLevel = Logger.Level(rawValue: value("IOFFICE_LOG_LEVEL", "info").lowercased()) ?? .info
        agencyCode = value("IOFFICE_AGENCY_CODE", "000.00.00.H11")
        agencyName = value("IOFFICE_AGENCY_NAME", "Liên đoàn Lao động tỉnh Cao Bằng")
        agencyAbbreviation = value("IOFFICE_AGENCY_ABBREVIATION", "LĐLĐ")
        jwksURL = value("IOFFICE_AUTH_JWKS_URL", "http://127.0.0.1:8080/.well-known/jwks.json")
        self.environment = environment
    }

    /// Where this service takes Documents' public token keys from: the key set itself (`IOFFICE_AUTH_JWKS`),
    /// or its URL (`IOFFICE_AUTH_JWKS_URL`, https, or http to a loopback address).
    public func keySetSource() throws -> any KeySetSource {
        if let json = environment["IOFFICE_AUTH_JWKS"], !json.isEmpty { return StaticKeySet(json: json) }
        return try RemoteKeySet(url: jwksURL)
    }

    /// The broker user another service publishes as (`IOFFICE_BROKER_USER_<SERVICE>`, default its name):
    /// what internal consumers check a message's `user_id` against.
    public func brokerUser(of service: String) -> String {
        environment["IOFFICE_BROKER_USER_\(service.uppercased())"].flatMap { $0.isEmpty ? nil : $0 } ?? service
    }

    public func amqpConfiguration(role: String) throws -> AMQPConfiguration {
        try AMQPConfiguration(url: amqpURL, connectionName: "\(name)-\(role)")
    }
}
