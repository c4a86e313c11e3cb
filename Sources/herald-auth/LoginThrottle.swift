// Login throttling: failures are counted per account (email, known or not) and per client IP
// within a sliding window; past the limit, login is refused with the time to wait.
import HeraldDatabase
import HeraldSupport

enum LoginThrottle {
    /// Minutes until another attempt is allowed, or nil when the attempt may go ahead.
    static func retryAfterMinutes(_ db: Connection, email: String, ip: String, config: Config) throws -> Int? {
        let row = try db.queryRow(
            """
            WITH window_start AS (SELECT now() - make_interval(mins => $3) AS t),
            by_account AS (
                SELECT count(*) AS failures, min(attempted_at) AS oldest FROM login_attempts
                WHERE email = $1 AND NOT succeeded AND attempted_at > (SELECT t FROM window_start)),
            by_ip AS (
                SELECT count(*) AS failures, min(attempted_at) AS oldest FROM login_attempts
                WHERE ip = NULLIF($2, '')::inet AND NOT succeeded AND attempted_at > (SELECT t FROM window_start))
            SELECT a.failures >= $4, i.failures >= $5,
                   ceil(extract(epoch FROM (a.oldest + make_interval(mins => $3) - now())) / 60)::int,
                   ceil(extract(epoch FROM (i.oldest + make_interval(mins => $3) - now())) / 60)::int
            FROM by_account a, by_ip i
            """,
            [.text(email), .text(ip), .int(config.loginWindowMinutes), .int(config.loginMaxFailuresPerAccount), .int(config.loginMaxFailuresPerIP)])
        guard let row else { return nil }
        var wait: [Int] = []
        if try row.bool(0) { wait.append(max(1, try row.optionalInt(2) ?? 1)) }
        if try row.bool(1) { wait.append(max(1, try row.optionalInt(3) ?? 1)) }
        return wait.max()
    }

    static func record(_ db: Connection, email: String, ip: String, succeeded: Bool) throws {
        try db.query(
            "INSERT INTO login_attempts (email, ip, succeeded) VALUES (left($1, 254), NULLIF($2, '')::inet, $3)",
            [.text(email), .text(ip), .bool(succeeded)])
    }
}
