import PostgresNIO

extension PostgresBindings {
    /// Appends a value, or SQL null for nil: for queries built from parts (catalogs, paged lists).
    mutating func encode<Value: PostgresEncodable>(_ value: Value?) throws {
        if let value { try append(value, context: .default) } else { appendNull() }
    }
}
