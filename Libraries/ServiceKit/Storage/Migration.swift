/// One versioned schema change. Versions are per component and applied in order, each in its own transaction.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    /// SQL statements, run in order.
    public var statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}
