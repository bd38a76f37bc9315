import Foundation
import PostgresNIO

/// Turns `postgres://user:password@host:port/database[?sslmode=require][&search_path=schema]` into a
/// PostgresNIO configuration. `search_path` lets services (and tests) share one database, a schema each.
public enum DatabaseURL {
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public static func configuration(_ url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url),
            let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql",
            let host = components.host, let user = components.user
        else { throw Invalid(description: "invalid database URL (expected postgres://user:password@host:port/db)") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        let requireTLS = components.queryItems?.contains { $0.name == "sslmode" && $0.value == "require" } ?? false
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user,
            password: components.password?.removingPercentEncoding,
            database: database.isEmpty ? nil : database,
            tls: requireTLS ? .require(.makeClientConfiguration()) : .disable)
        if let schema = components.queryItems?.first(where: { $0.name == "search_path" })?.value {
            guard schema.range(of: #"^[a-z_][a-z0-9_]{0,62}$"#, options: .regularExpression) != nil else {
                throw Invalid(description: "invalid search_path in the database URL (a lower-case schema name)")
            }
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        return configuration
    }
}
