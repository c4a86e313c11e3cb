// Login throttling, designed so that nobody can lock anyone else out:
// - per account and client (HERALD_LOGIN_MAX_FAILURES, 10, within HERALD_LOGIN_WINDOW_MINUTES, 15):
//   past it, that client waits until its oldest failure leaves the window; other clients do not;
// - per account from anywhere: after 10 failures within an hour each further attempt waits twice as
//   long after the last failure as the one before (1 s, 2 s, 4 s, … at most 15 minutes), and at 100
//   within the hour (ASVS 2.2.1) none is allowed until the oldest leaves the hour;
// - per client (HERALD_LOGIN_MAX_FAILURES_PER_IP, 100, within the window): one client guessing many
//   accounts.
// Failures from before the account's last password change or reset do not count: the owner, who can
// always reset the password by mail, always gets back in. The client is REMOTE_ADDR, which nginx sets
// to the real client's address behind a trusted proxy (`real_ip`, README "Running Herald in production").
// Wrong current passwords on the account page count like failed logins.
import HeraldDatabase
import HeraldSupport

enum LoginThrottle {
    /// Failures of one account within the hour after which each attempt waits longer.
    static let delayAfter = 10
    /// Failures of one account within the hour after which none is allowed (ASVS 2.2.1: at most 100).
    static let hourlyLimit = 100
    static let longestDelaySeconds = 900

    /// Seconds until this client may try this account again, or nil when the attempt may go ahead.
    static func retryAfterSeconds(_ db: Connection, email: String, ip: String, config: Config) throws -> Int? {
        let row = try db.queryRow(
            """
            WITH changed AS (
                SELECT coalesce(max(h.replaced_at), '-infinity') AS at
                FROM password_history h JOIN users u ON u.id = h.user_id WHERE u.email = $1),
            by_client AS (
                SELECT count(*) AS failures, min(attempted_at) AS oldest FROM login_attempts
                WHERE email = $1 AND ip IS NOT DISTINCT FROM NULLIF($2, '')::inet AND NOT succeeded
                  AND attempted_at > greatest(now() - make_interval(mins => $3), (SELECT at FROM changed))),
            by_account AS (
                SELECT count(*) AS failures, min(attempted_at) AS oldest, max(attempted_at) AS latest FROM login_attempts
                WHERE email = $1 AND NOT succeeded
                  AND attempted_at > greatest(now() - interval '1 hour', (SELECT at FROM changed))),
            by_ip AS (
                SELECT count(*) AS failures, min(attempted_at) AS oldest FROM login_attempts
                WHERE ip = NULLIF($2, '')::inet AND NOT succeeded AND attempted_at > now() - make_interval(mins => $3))
            SELECT c.failures, ceil(extract(epoch FROM c.oldest + make_interval(mins => $3) - now()) * 1000)::bigint,
                   a.failures, ceil(extract(epoch FROM a.oldest + interval '1 hour' - now()) * 1000)::bigint,
                   floor(extract(epoch FROM now() - a.latest) * 1000)::bigint,
                   i.failures, ceil(extract(epoch FROM i.oldest + make_interval(mins => $3) - now()) * 1000)::bigint
            FROM by_client c, by_account a, by_ip i
            """,
            [.text(email), .text(ip), .int(config.loginWindowMinutes)])
        guard let row else { return nil }
        // Milliseconds to wait for each limit reached.
        var waits: [Int] = []
        if try row.int(0) >= config.loginMaxFailuresPerAccount { waits.append(try row.optionalInt(1) ?? 1) }
        let accountFailures = try row.int(2)
        if accountFailures >= hourlyLimit {
            waits.append(try row.optionalInt(3) ?? 1)
        } else if accountFailures >= delayAfter {
            let delay = min(longestDelaySeconds, 1 << min(20, accountFailures - delayAfter)) * 1000
            waits.append(delay - (try row.optionalInt(4) ?? 0))
        }
        if try row.int(5) >= config.loginMaxFailuresPerIP { waits.append(try row.optionalInt(6) ?? 1) }
        guard let longest = waits.max(), longest > 0 else { return nil }
        return max(1, (longest + 999) / 1000)
    }

    /// "8 seconds", "1 minute", "15 minutes": how long to wait, for the page.
    static func describe(_ seconds: Int) -> String {
        if seconds < 60 { return seconds == 1 ? "1 second" : "\(seconds) seconds" }
        let minutes = (seconds + 59) / 60
        return minutes == 1 ? "1 minute" : "\(minutes) minutes"
    }

    static func record(_ db: Connection, email: String, ip: String, succeeded: Bool) throws {
        try db.query(
            "INSERT INTO login_attempts (email, ip, succeeded) VALUES (left($1, 254), NULLIF($2, '')::inet, $3)",
            [.text(email), .text(ip), .bool(succeeded)])
    }
}
