// A streaming replica (hot standby) as an ordinary role sees it: whether a connection is to a
// standby, and how far its data trails the primary's.
//
// `now() - pg_last_xact_replay_timestamp()` alone is no measure of lag: on an idle primary it grows
// for ever while the standby has everything. A standby is caught up when it has replayed all the
// WAL it received (pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()) and its WAL receiver is
// connected to the primary (a row in pg_stat_wal_receiver; only superusers and pg_read_all_stats
// see its status, others see just the row, which exists while the receiver runs). Otherwise the
// data is as old as the last transaction replayed.

public enum Replica {
    /// How far the data on `db` trails the primary's, in seconds; nil when `db` is a primary, or a
    /// standby that replayed everything it received while its WAL receiver is connected.
    ///
    /// Lagging: the seconds since the last replayed transaction was committed on the primary (its
    /// clock; never below 0), or, before the standby has replayed any transaction since it started,
    /// the seconds since it started (a lower bound: its data may be older).
    public static func lagSeconds(_ db: Connection) throws -> Double? { try status(db).lag }

    /// When the data on `db` was current (epoch seconds: the commit time of the last transaction
    /// replayed) if it trails the primary by more than `seconds`; nil on a primary, on a standby
    /// closer behind, and on one that has replayed no transaction since it started. A page prints
    /// it as "data as of …".
    public static func dataAsOf(_ db: Connection, laggingMoreThan seconds: Double = 60) throws -> Int? {
        let status = try status(db)
        guard let lag = status.lag, lag > seconds else { return nil }
        return status.lastReplayEpoch
    }

    private struct Status {
        var lag: Double?
        var lastReplayEpoch: Int?
    }

    private static func status(_ db: Connection) throws -> Status {
        // One statement, so every value describes the same moment. On a primary the recovery
        // functions return NULL and pg_stat_wal_receiver has no row.
        guard
            let row = try db.queryRow(
                """
                SELECT pg_is_in_recovery(),
                       coalesce(pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn(), false),
                       EXISTS (SELECT FROM pg_stat_wal_receiver WHERE status IS NULL OR status = 'streaming'),
                       extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8,
                       extract(epoch FROM pg_last_xact_replay_timestamp())::bigint,
                       extract(epoch FROM clock_timestamp() - pg_postmaster_start_time())::float8
                """)
        else { return Status() }
        guard try row.bool(0) else { return Status() }
        let replayBehindReceive = try row.bool(1)
        let receiverConnected = try row.bool(2)
        if receiverConnected && !replayBehindReceive { return Status() }
        let sinceReplay = row.optionalString(3).flatMap(Double.init)
        let sinceStart = row.optionalString(5).flatMap(Double.init) ?? 0
        return Status(lag: max(0, sinceReplay ?? sinceStart), lastReplayEpoch: try row.optionalInt(4))
    }
}
