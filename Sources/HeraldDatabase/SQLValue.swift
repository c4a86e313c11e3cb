// Typed query parameters. Every value is bound by libpq, never spliced into SQL text.

/// One bound parameter of a query.
public enum SQLValue: Sendable, Equatable {
    case null
    case text(String)
    case int(Int)
    case bool(Bool)
    /// Sent in binary, for `bytea` columns.
    case bytes([UInt8])

    /// An optional text value: NULL when nil.
    public static func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
    public static func int(_ value: Int?) -> SQLValue { value.map { .int($0) } ?? .null }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}
