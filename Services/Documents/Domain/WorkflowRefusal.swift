/// Why a step on an incoming or outgoing document is not allowed, in Vietnamese for the person who tried it.
struct WorkflowRefusal: Error, Equatable, Sendable {
    var message: String
    /// The step is fine in itself but the document has moved on (409), rather than asked wrongly (422)
    /// or by someone without the right (403).
    var kind: Kind

    enum Kind: Sendable { case forbidden, invalid, conflict }

    static func forbidden(_ message: String) -> Self { .init(message: message, kind: .forbidden) }
    static func invalid(_ message: String) -> Self { .init(message: message, kind: .invalid) }
    static func conflict(_ message: String) -> Self { .init(message: message, kind: .conflict) }
}
