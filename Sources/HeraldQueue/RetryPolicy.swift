// When to try a job again after a transient failure: exponential backoff with jitter, never
// before the platform's own reset time, and a cap.

public enum RetryPolicy {
    /// Seconds to wait after failed attempt `attempt` (1-based): base, 2 × base, 4 × base … (30 s,
    /// 60 s, 2 min … by default) capped at one hour, each ±20 % at random so that many targets
    /// failing together do not retry together.
    public static func backoffSeconds(attempt: Int, baseSeconds: Int = 30, random: Double = Double.random(in: 0..<1)) -> Int {
        let base = Double(baseSeconds) * Double(1 << min(max(attempt - 1, 0), 7))
        let capped = min(base, 3600)
        return max(1, Int(capped * (0.8 + 0.4 * random)))
    }

    /// The delay before the next attempt: the backoff, or the platform's wait if that is longer.
    public static func delaySeconds(
        attempt: Int, platformWaitSeconds: Int?, baseSeconds: Int = 30, random: Double = Double.random(in: 0..<1)
    ) -> Int {
        max(backoffSeconds(attempt: attempt, baseSeconds: baseSeconds, random: random), platformWaitSeconds ?? 0)
    }
}
