// LISTEN on a PostgreSQL channel and wait for a notification with a timeout: a connection of its
// own, polled on its socket. Dropped connections are reopened on the next wait.
import CPQ
import Glibc
import HeraldSupport

/// Wakes its owner when something NOTIFYs the channel (or after the timeout, so callers poll too).
public final class Listener {
    private var handle: OpaquePointer?
    private let conninfo: String
    private let channel: String

    /// `channel` is an identifier Herald chooses (letters, digits, underscores), never user input.
    public init(_ conninfo: String, channel: String) throws {
        guard !channel.isEmpty,
            channel.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) })
        else { throw DatabaseError(message: "not a channel name: \(channel)") }
        self.conninfo = conninfo
        self.channel = channel
        try open()
    }

    deinit { if let handle { PQfinish(handle) } }

    private func open() throws {
        if let handle { PQfinish(handle) }
        handle = nil
        let raw = try Connection.open(conninfo)
        guard let result = PQexec(raw, "LISTEN \(channel)") else {
            PQfinish(raw)
            throw DatabaseError(sqlState: "08006", message: "LISTEN failed")
        }
        let ok = PQresultStatus(result) == PGRES_COMMAND_OK
        PQclear(result)
        guard ok else {
            PQfinish(raw)
            throw DatabaseError(sqlState: "08006", message: "LISTEN \(channel) failed")
        }
        handle = raw
    }

    /// Waits up to `timeoutMilliseconds` for notifications; true when at least one arrived (all
    /// pending ones are consumed). A lost connection is reopened (throws while PostgreSQL is down).
    public func wait(timeoutMilliseconds: Int32) throws -> Bool {
        if handle == nil || PQstatus(handle) != CONNECTION_OK { try open() }
        guard let handle else { return false }
        if drain(handle) { return true }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeoutMilliseconds)
        guard ready > 0 else { return false }
        if PQconsumeInput(handle) == 0 {
            // The server went away: reopen now, and tell the caller to look (a notification may be lost).
            try open()
            return true
        }
        return drain(handle)
    }

    private func drain(_ handle: OpaquePointer) -> Bool {
        var any = false
        while let notification = PQnotifies(handle) {
            any = true
            PQfreemem(notification)
        }
        return any
    }
}
