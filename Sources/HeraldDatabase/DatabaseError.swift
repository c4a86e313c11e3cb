// Errors from PostgreSQL keep the SQLSTATE and constraint name so handlers can explain them.

public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// Five-character SQLSTATE, e.g. `23505` (unique violation); nil when the connection failed.
    public let sqlState: String?
    /// The violated constraint's name, when PostgreSQL reports one.
    public let constraint: String?
    /// Table and column for NOT NULL violations and the like.
    public let table: String?
    public let column: String?
    public let message: String

    public init(sqlState: String? = nil, constraint: String? = nil, table: String? = nil, column: String? = nil, message: String) {
        self.sqlState = sqlState
        self.constraint = constraint
        self.table = table
        self.column = column
        self.message = message
    }

    public var description: String {
        var text = message
        if let sqlState { text += " [\(sqlState)]" }
        if let constraint { text += " (constraint \(constraint))" }
        return text
    }

    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isSerializationFailure: Bool { sqlState == "40001" || sqlState == "40P01" }
    /// The server gave up on the statement: `statement_timeout` (57014, also a cancel request) or
    /// `lock_timeout` (55P03), both set for the app role so no request holds a connection for ever.
    public var isTimeout: Bool { sqlState == "57014" || sqlState == "55P03" }
    /// The connection is gone (server restarted, network): classes 08 and 57P0x.
    public var isConnectionFailure: Bool {
        guard let sqlState else { return true }
        return sqlState.hasPrefix("08") || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03"
    }
}
