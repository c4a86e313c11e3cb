// One PostgreSQL connection (libpq): bound parameters, prepared-statement cache, transactions
// with the tenant set, and a reconnect when the server went away.
import CPQ
import Glibc
import HeraldSupport

/// A connection used by one thread at a time: a request borrows it from its program's
/// `ConnectionPool` and gives it back with its answer.
public final class Connection {
    private var handle: OpaquePointer
    private let conninfo: String
    /// SQL text → name of the statement prepared on this connection.
    private var prepared: [String: String] = [:]
    private var transactionDepth = 0
    /// What `afterCommit` deferred until the transaction commits (dropped when it rolls back).
    private var afterCommitActions: [() -> Void] = []
    /// What `afterAnswer` deferred until the request's answer is out.
    private var afterAnswerActions: [() -> Void] = []
    /// Set while a web request holds the connection: `afterAnswer` work waits for `runAfterAnswer`.
    public var defersUntilAnswered = false

    public init(_ conninfo: String) throws {
        self.conninfo = conninfo
        // Check the status before storing the handle: a throwing init that stored it would run
        // deinit and PQfinish it a second time.
        let raw = try Connection.open(conninfo)
        handle = raw
    }

    deinit { PQfinish(handle) }

    /// A new libpq connection, checked, with notices silenced (also the Listener's).
    static func open(_ conninfo: String) throws -> OpaquePointer {
        guard let raw = PQconnectdb(conninfo) else { throw DatabaseError(message: "out of memory connecting to PostgreSQL") }
        guard PQstatus(raw) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(raw)).trimmed
            PQfinish(raw)
            throw DatabaseError(sqlState: "08001", message: "cannot connect to PostgreSQL: \(message)")
        }
        PQsetNoticeProcessor(raw, { _, _ in }, nil)
        return raw
    }

    public var isInTransaction: Bool { transactionDepth > 0 }

    /// Runs `action` once the current transaction has committed, or now outside one: for effects
    /// outside the database (handing mail over) that must happen only for work that is kept, and
    /// once, however often a serialization failure makes `transaction` run its body. Dropped when
    /// the transaction (or the savepoint it was registered in) rolls back.
    public func afterCommit(_ action: @escaping () -> Void) {
        if transactionDepth == 0 { action() } else { afterCommitActions.append(action) }
    }

    /// Runs `action` once the web request that holds the connection has sent its answer (and before
    /// the connection goes back to the pool), or now outside a request (the worker, heraldctl): for
    /// slow work whose time must not show in the answer, such as handing mail to the mail command
    /// (a page that mails only when an account exists must take as long when none does).
    /// Inside a transaction, only once it commits (never for work rolled back, once however often
    /// the transaction runs its body).
    public func afterAnswer(_ action: @escaping () -> Void) {
        if transactionDepth > 0 {
            afterCommit { [unowned self] in self.afterAnswer(action) }
        } else if defersUntilAnswered {
            afterAnswerActions.append(action)
        } else {
            action()
        }
    }

    /// True when `afterAnswer` deferred work that has not run yet.
    public var hasWorkAfterAnswer: Bool { !afterAnswerActions.isEmpty }

    /// Stops deferring and runs what `afterAnswer` deferred, in order (work they defer in turn runs at once).
    public func runAfterAnswer() {
        defersUntilAnswered = false
        let actions = afterAnswerActions
        afterAnswerActions.removeAll()
        for action in actions { action() }
    }

    /// Connected, and not inside a transaction (neither Herald's nor one a statement left open):
    /// safe to lend to the next request.
    public var isIdleAndSound: Bool {
        transactionDepth == 0 && PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// Runs one statement with bound parameters and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ params: [SQLValue] = []) throws -> QueryResult {
        do {
            return try run(sql, params)
        } catch let error as DatabaseError where error.isConnectionFailure && transactionDepth == 0 {
            // The server restarted or the socket broke: reconnect once and retry, which is safe
            // only outside a transaction (inside one the work so far is lost).
            try reconnect()
            return try run(sql, params)
        }
    }

    /// The first row, or nil.
    public func queryRow(_ sql: String, _ params: [SQLValue] = []) throws -> Row? {
        let result = try query(sql, params)
        return result.count > 0 ? result[0] : nil
    }

    /// Runs SQL text that may hold several statements, with no parameters (migrations).
    public func executeScript(_ sql: String) throws {
        guard let result = PQexec(handle, sql) else { throw connectionError() }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw Connection.error(from: result) }
    }

    /// Runs `body` in a transaction. With `workspace`, `app.workspace_id` is set for the
    /// transaction only, so row-level security admits exactly that tenant's rows. A
    /// serialization failure or deadlock retries the whole body up to three times.
    @discardableResult
    public func transaction<T>(workspace: Int? = nil, user: Int? = nil, _ body: (Connection) throws -> T) throws -> T {
        // A nested BEGIN would be a no-op and the inner COMMIT would end the outer transaction early;
        // refuse it (a precondition would kill every thread of the program). Use `savepoint` inside.
        guard transactionDepth == 0 else {
            throw DatabaseError(sqlState: "25001", message: "a transaction was started inside another one; use savepoint(_:) for nested work")
        }
        var attempt = 0
        while true {
            attempt += 1
            try query("BEGIN")
            transactionDepth = 1
            afterCommitActions.removeAll()
            do {
                if let workspace { try query("SELECT set_config('app.workspace_id', $1, true)", [.text(String(workspace))]) }
                if let user { try query("SELECT set_config('app.user_id', $1, true)", [.text(String(user))]) }
                let value = try body(self)
                try query("COMMIT")
                transactionDepth = 0
                let actions = afterCommitActions
                afterCommitActions.removeAll()
                for action in actions { action() }
                return value
            } catch let error as DatabaseError where error.isSerializationFailure && attempt < 3 {
                rollbackQuietly()
                continue
            } catch {
                rollbackQuietly()
                throw error
            }
        }
    }

    /// Runs `body` inside a savepoint of the current transaction: when it throws, only its own
    /// work is undone and the transaction stays usable (PostgreSQL aborts the whole transaction
    /// on any error otherwise). Outside a transaction it simply runs `body`.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        guard transactionDepth > 0 else { return try body() }
        let name = "sp\(transactionDepth)"
        try query("SAVEPOINT \(name)")
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        let actionsBefore = afterCommitActions.count
        do {
            let value = try body()
            try query("RELEASE SAVEPOINT \(name)")
            return value
        } catch {
            afterCommitActions.removeSubrange(min(actionsBefore, afterCommitActions.count)...)
            _ = try? query("ROLLBACK TO SAVEPOINT \(name)")
            throw error
        }
    }

    private func rollbackQuietly() {
        transactionDepth = 0
        afterCommitActions.removeAll()
        if PQstatus(handle) == CONNECTION_OK, let result = PQexec(handle, "ROLLBACK") { PQclear(result) }
    }

    /// Drops the broken connection and opens a new one with the same settings.
    public func reconnect() throws {
        let fresh = try Connection.open(conninfo)
        PQfinish(handle)
        handle = fresh
        prepared.removeAll()
        transactionDepth = 0
    }

    /// The name of `sql` prepared on this connection, preparing it the first time.
    private func statementName(_ sql: String, parameters: Int) throws -> String {
        if let existing = prepared[sql] { return existing }
        let name = "h\(prepared.count + 1)"
        guard let result = PQprepare(handle, name, sql, Int32(parameters), nil) else { throw connectionError() }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else { throw Connection.error(from: result) }
        prepared[sql] = name
        return name
    }

    /// Runs one query and hands its rows to `body` one at a time as they arrive (libpq's single-row
    /// mode): a result of any size in the memory of one row. All rows are read even when `body`
    /// throws (the connection stays usable); its first error is rethrown afterwards.
    public func forEachRow(_ sql: String, _ params: [SQLValue] = [], _ body: (Row) throws -> Void) throws {
        if PQstatus(handle) != CONNECTION_OK { throw connectionError() }
        let name = try statementName(sql, parameters: params.count)
        try withBoundParameters(params) { values, lengths, formats in
            guard PQsendQueryPrepared(handle, name, Int32(params.count), values, lengths, formats, 0) == 1 else { throw connectionError() }
        }
        PQsetSingleRowMode(handle)
        var failure: (any Error)?
        while let raw = PQgetResult(handle) {
            switch PQresultStatus(raw) {
            case PGRES_SINGLE_TUPLE:
                let result = QueryResult(raw)
                if failure == nil {
                    do { try body(result[0]) } catch { failure = error }
                }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                PQclear(raw)
            default:
                if failure == nil { failure = Connection.error(from: raw) }
                PQclear(raw)
            }
        }
        if let failure { throw failure }
    }

    private func run(_ sql: String, _ params: [SQLValue]) throws -> QueryResult {
        if PQstatus(handle) != CONNECTION_OK { throw connectionError() }
        let name = try statementName(sql, parameters: params.count)
        return try withBoundParameters(params) { values, lengths, formats in
            guard let result = PQexecPrepared(handle, name, Int32(params.count), values, lengths, formats, 0) else {
                throw connectionError()
            }
            let status = PQresultStatus(result)
            guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
                defer { PQclear(result) }
                throw Connection.error(from: result)
            }
            return QueryResult(result)
        }
    }

    private func withBoundParameters<T>(
        _ params: [SQLValue],
        _ body: ([UnsafePointer<CChar>?], [Int32], [Int32]) throws -> T
    ) throws -> T {
        var storage: [UnsafeMutablePointer<CChar>?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        defer { for pointer in storage { free(pointer) } }
        for param in params {
            switch param {
            case .null:
                storage.append(nil)
                lengths.append(0)
                formats.append(0)
            case .text(let text):
                storage.append(strdup(text))
                lengths.append(0)
                formats.append(0)
            case .int(let value):
                storage.append(strdup(String(value)))
                lengths.append(0)
                formats.append(0)
            case .bool(let value):
                storage.append(strdup(value ? "t" : "f"))
                lengths.append(0)
                formats.append(0)
            case .bytes(let bytes):
                let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, bytes.count))
                bytes.withUnsafeBytes { raw in
                    if let base = raw.baseAddress { memcpy(pointer, base, bytes.count) }
                }
                // free() releases it below; allocate is malloc-backed on Linux.
                storage.append(pointer)
                lengths.append(Int32(bytes.count))
                formats.append(1)
            }
        }
        return try body(storage.map { UnsafePointer($0) }, lengths, formats)
    }

    private func connectionError() -> DatabaseError {
        DatabaseError(sqlState: "08006", message: String(cString: PQerrorMessage(handle)).trimmed)
    }

    static func error(from result: OpaquePointer) -> DatabaseError {
        func field(_ code: Int32) -> String? {
            guard let value = PQresultErrorField(result, code) else { return nil }
            return String(cString: value)
        }
        // PG_DIAG_* are character codes: 'C' SQLSTATE, 'n' constraint, 't' table, 'c' column, 'M' message.
        return DatabaseError(
            sqlState: field(Int32(UInt8(ascii: "C"))),
            constraint: field(Int32(UInt8(ascii: "n"))),
            table: field(Int32(UInt8(ascii: "t"))),
            column: field(Int32(UInt8(ascii: "c"))),
            message: field(Int32(UInt8(ascii: "M"))) ?? String(cString: PQresultErrorMessage(result)).trimmed)
    }
}

/// The rows of one query. Values arrive as text and are decoded by the typed accessors of `Row`.
public final class QueryResult {
    private let result: OpaquePointer
    public let count: Int

    init(_ result: OpaquePointer) {
        self.result = result
        count = Int(PQntuples(result))
    }

    deinit { PQclear(result) }

    /// Rows changed by INSERT/UPDATE/DELETE.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    public subscript(_ index: Int) -> Row { Row(result: self, index: index) }

    public var rows: [Row] { (0..<count).map { Row(result: self, index: $0) } }

    func value(_ row: Int, _ column: Int) -> String? {
        if PQgetisnull(result, Int32(row), Int32(column)) != 0 { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    func rawBytes(_ row: Int, _ column: Int) -> [UInt8]? {
        if PQgetisnull(result, Int32(row), Int32(column)) != 0 { return nil }
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        let pointer = PQgetvalue(result, Int32(row), Int32(column))!
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }

    public var columnNames: [String] { (0..<Int(PQnfields(result))).map { String(cString: PQfname(result, Int32($0))) } }
}

/// One row; columns by position, in the order of the SELECT list.
public struct Row {
    let result: QueryResult
    let index: Int

    public func optionalString(_ column: Int) -> String? { result.value(index, column) }

    public func string(_ column: Int) throws -> String {
        guard let value = result.value(index, column) else { throw decodeError(column, "text") }
        return value
    }

    public func optionalInt(_ column: Int) throws -> Int? {
        guard let text = result.value(index, column) else { return nil }
        guard let value = Int(text) else { throw decodeError(column, "integer") }
        return value
    }

    public func int(_ column: Int) throws -> Int {
        guard let value = try optionalInt(column) else { throw decodeError(column, "integer") }
        return value
    }

    public func bool(_ column: Int) throws -> Bool {
        switch result.value(index, column) {
        case "t": return true
        case "f": return false
        default: throw decodeError(column, "boolean")
        }
    }

    /// A `bytea` column (text format: `\x` followed by hex digits).
    public func bytes(_ column: Int) throws -> [UInt8] {
        guard let raw = result.rawBytes(index, column), raw.count >= 2, raw[0] == UInt8(ascii: "\\"), raw[1] == UInt8(ascii: "x") else {
            throw decodeError(column, "bytea")
        }
        var out = [UInt8]()
        out.reserveCapacity((raw.count - 2) / 2)
        var i = 2
        while i + 1 < raw.count {
            guard let hi = Hex.value(raw[i]), let lo = Hex.value(raw[i + 1]) else { throw decodeError(column, "bytea") }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private func decodeError(_ column: Int, _ type: String) -> DatabaseError {
        DatabaseError(sqlState: "22000", message: "column \(column) is not a \(type) (or is NULL)")
    }
}
