// A program's PostgreSQL connections: at most `size` open however many threads serve requests. A
// request borrows one on first use and gives it back when its answer is ready; a thread that finds
// them all lent waits at most `waitSeconds`, then gets `PoolExhausted` (the 503 "busy" page).
import Glibc
import HeraldSupport

/// Every connection of the pool stayed lent for the whole wait.
public struct PoolExhausted: Error, CustomStringConvertible, Sendable {
    public let size: Int
    public let waitSeconds: Double
    public var description: String { "all \(size) database connections stayed busy for \(waitSeconds) s" }
}

/// Shared by the threads of a program. Connections come back idle: one still in a transaction or
/// whose server went away is closed instead of kept (the next borrower gets a new one).
public final class ConnectionPool: @unchecked Sendable {
    public let size: Int
    public let waitSeconds: Double
    private let conninfo: String
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let available = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `lock`:
    /// Idle connections, the most recently used last (it is lent first: its caches are warm).
    private var idle: [Connection] = []
    /// Connections open, lent or idle, plus those being opened.
    private var open = 0
    private var lent = 0
    private var waits = 0
    private var timeouts = 0

    public init(conninfo: String, size: Int, waitSeconds: Double) {
        self.conninfo = conninfo
        self.size = max(1, size)
        self.waitSeconds = waitSeconds
        pthread_mutex_init(lock, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(available, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(available)
        pthread_mutex_destroy(lock)
        available.deallocate()
        lock.deallocate()
    }

    /// What the pool holds now, for the metrics file.
    public struct Usage: Sendable {
        public let open: Int
        public let lent: Int
        /// Borrowers that had to wait, and those that gave up waiting, since the start.
        public let waits: Int
        public let timeouts: Int
    }

    public var usage: Usage {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return Usage(open: open, lent: lent, waits: waits, timeouts: timeouts)
    }

    /// A connection for this thread until `giveBack`; opens one when none is idle and fewer than
    /// `size` are open, else waits. `fresh` closes the idle ones first (after their server failed).
    public func borrow(fresh: Bool = false) throws -> Connection {
        pthread_mutex_lock(lock)
        if fresh {
            open -= idle.count
            idle.removeAll()
        }
        var waited = false
        var deadline = timespec()
        while idle.isEmpty && open >= size {
            if !waited {
                waited = true
                waits += 1
                clock_gettime(CLOCK_MONOTONIC, &deadline)
                let nanos = Int(waitSeconds * 1e9) + deadline.tv_nsec
                deadline.tv_sec += nanos / 1_000_000_000
                deadline.tv_nsec = nanos % 1_000_000_000
            }
            if pthread_cond_timedwait(available, lock, &deadline) == ETIMEDOUT && idle.isEmpty && open >= size {
                timeouts += 1
                pthread_mutex_unlock(lock)
                throw PoolExhausted(size: size, waitSeconds: waitSeconds)
            }
        }
        lent += 1
        if let connection = idle.popLast() {
            pthread_mutex_unlock(lock)
            return connection
        }
        open += 1
        pthread_mutex_unlock(lock)
        do {
            return try Connection(conninfo)
        } catch {
            pthread_mutex_lock(lock)
            open -= 1
            lent -= 1
            pthread_cond_signal(available)
            pthread_mutex_unlock(lock)
            throw error
        }
    }

    /// Takes back a borrowed connection: kept when it is idle and sound, closed otherwise (a request
    /// that failed inside a transaction, a server that went away, or `discard`).
    public func giveBack(_ connection: Connection, discard: Bool = false) {
        let keep = !discard && connection.isIdleAndSound
        pthread_mutex_lock(lock)
        lent -= 1
        if keep { idle.append(connection) } else { open -= 1 }
        pthread_cond_signal(available)
        pthread_mutex_unlock(lock)
        // A discarded connection closes here, outside the lock (PQfinish waits for the server).
    }
}
