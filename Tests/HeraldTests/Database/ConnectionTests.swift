import Testing

@testable import HeraldDatabase
@testable import HeraldSupport
// The libpq wrapper against the real test cluster: bound parameters, decoding, errors with
// SQLSTATE and constraint, transactions, reconnecting after the connection was killed.
@testable import herald_auth

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct ConnectionTests {
    @Test func forEachRowStreamsEveryRowInOrderAndKeepsTheConnectionUsable() throws {
        let db = try TestEnvironment.connectApp()
        var seen: [Int] = []
        try db.forEachRow("SELECT n, repeat('x', 100) FROM generate_series(1, $1::int) n ORDER BY n", [.int(20_000)]) { row in
            seen.append(try row.int(0))
        }
        #expect(seen == Array(1...20_000))

        // The body's error comes back after the rest is read; the connection answers the next query.
        struct Stop: Error {}
        var count = 0
        #expect(throws: Stop.self) {
            try db.forEachRow("SELECT n FROM generate_series(1, 5000) n", []) { _ in
                count += 1
                if count == 10 { throw Stop() }
            }
        }
        #expect(count == 10, "no row after the error reaches the body")
        #expect(try db.queryRow("SELECT 42")?.int(0) == 42)

        // A server error midway (division by zero at row 3) is thrown, and the connection stays usable.
        var before: [Int] = []
        #expect(throws: DatabaseError.self) {
            try db.forEachRow("SELECT 10 / (3 - n) FROM generate_series(1, 5) n", []) { before.append(try $0.int(0)) }
        }
        #expect(before == [5, 10])
        #expect(try db.queryRow("SELECT 7")?.int(0) == 7)
    }

    @Test func bindsAndDecodesEveryParameterType() throws {
        let db = try TestEnvironment.connectApp()
        let bytes: [UInt8] = [0, 1, 2, 0xfe, 0xff, 0x5c, 0x27]
        let row = try #require(
            try db.queryRow(
                "SELECT $1::text, $2::bigint, $3::boolean, $4::bytea, $5::text IS NULL, $6::text",
                [.text("it's \"quoted\" -- not SQL; DROP TABLE users"), .int(-9_000_000_000), .bool(true), .bytes(bytes), .null, .text("✓ naïve 🦆")]))
        #expect(try row.string(0) == "it's \"quoted\" -- not SQL; DROP TABLE users")
        #expect(try row.int(1) == -9_000_000_000)
        #expect(try row.bool(2))
        #expect(try row.bytes(3) == bytes)
        #expect(try row.bool(4))
        #expect(try row.string(5) == "✓ naïve 🦆")
        #expect(row.optionalString(4) == "t")
    }

    @Test func nullDecodesAsNilOrError() throws {
        let db = try TestEnvironment.connectApp()
        let row = try #require(try db.queryRow("SELECT NULL::text, NULL::int"))
        #expect(row.optionalString(0) == nil)
        #expect(try row.optionalInt(1) == nil)
        #expect(throws: DatabaseError.self) { try row.string(0) }
        #expect(throws: DatabaseError.self) { try row.int(1) }
    }

    @Test func reusesPreparedStatements() throws {
        let db = try TestEnvironment.connectApp()
        for i in 0..<50 {
            #expect(try db.queryRow("SELECT $1::int + 1", [.int(i)])?.int(0) == i + 1)
        }
        let prepared = try #require(try db.queryRow("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1::int + 1%'"))
        #expect(try prepared.int(0) == 1)
    }

    @Test func errorsCarrySQLStateAndConstraint() throws {
        let db = try TestEnvironment.connectApp()
        let email = TestEnvironment.uniqueEmail()
        let insert = "INSERT INTO users (name, email, password_hash) VALUES ('A', $1, '$argon2id$v=19$x')"
        try db.query(insert, [.text(email)])
        do {
            try db.query(insert, [.text(email.uppercased())])
            Issue.record("duplicate email (other case) was accepted")
        } catch let error as DatabaseError {
            #expect(error.sqlState == "23505")
            #expect(error.constraint == "users_email_key")
            #expect(error.isUniqueViolation)
        }
        do {
            try db.query("SELECT * FROM no_such_table")
            Issue.record("query on a missing table succeeded")
        } catch let error as DatabaseError {
            #expect(error.sqlState == "42P01")
        }
    }

    @Test func transactionRollsBackWhenTheBodyThrows() throws {
        let db = try TestEnvironment.connectApp()
        let email = TestEnvironment.uniqueEmail()
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction { db in
                try db.query("INSERT INTO users (name, email, password_hash) VALUES ('A', $1, '$argon2id$v=19$x')", [.text(email)])
                throw Boom()
            }
        }
        #expect(try db.queryRow("SELECT count(*) FROM users WHERE email = $1", [.text(email)])?.int(0) == 0)
        // The connection is usable afterwards and a committed transaction persists.
        try db.transaction { db in
            try db.query("INSERT INTO users (name, email, password_hash) VALUES ('A', $1, '$argon2id$v=19$x')", [.text(email)])
        }
        #expect(try db.queryRow("SELECT count(*) FROM users WHERE email = $1", [.text(email)])?.int(0) == 1)
    }

    @Test func transactionSetsTheTenantForThatTransactionOnly() throws {
        let db = try TestEnvironment.connectApp()
        let inside = try db.transaction(workspace: 42) { db in try db.queryRow("SELECT current_setting('app.workspace_id', true)")?.string(0) }
        #expect(inside == "42")
        let after = try db.queryRow("SELECT coalesce(current_setting('app.workspace_id', true), '')")?.string(0)
        #expect(after == "")
    }

    @Test func reconnectsAfterTheServerDroppedTheConnection() throws {
        let db = try TestEnvironment.connectApp()
        let pid = try #require(try db.queryRow("SELECT pg_backend_pid()")?.int(0))
        let admin = try TestEnvironment.connectSuperuser()
        #expect(try admin.queryRow("SELECT pg_terminate_backend($1)", [.int(pid)])?.bool(0) == true)
        // The next query notices the dead connection, reconnects once and succeeds.
        let newPID = try #require(try db.queryRow("SELECT pg_backend_pid()")?.int(0))
        #expect(newPID != pid)
        #expect(try db.queryRow("SELECT $1::int", [.int(7)])?.int(0) == 7, "prepared statements are re-prepared")
    }

    @Test func appRoleIsNeitherOwnerNorSuperuser() throws {
        let db = try TestEnvironment.connectApp()
        let row = try #require(
            try db.queryRow(
                """
                SELECT rolsuper, rolbypassrls, (SELECT datdba = r.oid FROM pg_database WHERE datname = current_database())
                FROM pg_roles r WHERE rolname = current_user
                """))
        #expect(try row.bool(0) == false)
        #expect(try row.bool(1) == false)
        #expect(try row.bool(2) == false)
    }
}

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct LoginThrottleTests {
    func config(perAccount: Int, perIP: Int) throws -> Config {
        var config = try Config.fromEnvironment()
        config.loginMaxFailuresPerAccount = perAccount
        config.loginMaxFailuresPerIP = perIP
        config.loginWindowMinutes = 15
        return config
    }

    /// Failures of `email` from `count` different clients, `minutesAgo` minutes ago.
    func fail(_ email: String, times count: Int, minutesAgo: Int = 0, _ db: Connection) throws {
        try db.query(
            """
            INSERT INTO login_attempts (email, ip, succeeded, attempted_at)
            SELECT $1, ('10.' || (n / 65536) % 256 || '.' || (n / 256) % 256 || '.' || n % 256)::inet, false,
                   now() - make_interval(mins => $3)
            FROM generate_series(1, $2) n
            """, [.text(email), .int(count), .int(minutesAgo)])
    }

    @Test func aClientPastTheLimitWaitsAndOtherClientsDoNot() throws {
        let db = try TestEnvironment.connectApp()
        let config = try config(perAccount: 3, perIP: 1000)
        let email = TestEnvironment.uniqueEmail()
        for _ in 0..<3 {
            #expect(try LoginThrottle.retryAfterSeconds(db, email: email, ip: "192.0.2.1", config: config) == nil)
            try LoginThrottle.record(db, email: email, ip: "192.0.2.1", succeeded: false)
        }
        let wait = try #require(try LoginThrottle.retryAfterSeconds(db, email: email, ip: "192.0.2.1", config: config))
        #expect((890...900).contains(wait), "this client waits until its oldest failure leaves the 15 minutes: \(wait) s")
        #expect(try LoginThrottle.retryAfterSeconds(db, email: email, ip: "192.0.2.99", config: config) == nil, "nobody else is locked out")
        #expect(try LoginThrottle.retryAfterSeconds(db, email: TestEnvironment.uniqueEmail(), ip: "192.0.2.1", config: config) == nil)
    }

    @Test func manyClientsFailingSlowAnAccountDownWithADoublingDelay() throws {
        let db = try TestEnvironment.connectApp()
        let config = try config(perAccount: 10, perIP: 1000)
        let email = TestEnvironment.uniqueEmail()
        try fail(email, times: 9, db)
        #expect(try LoginThrottle.retryAfterSeconds(db, email: email, ip: "192.0.2.7", config: config) == nil)
        try fail(email, times: 3, db)  // 12: the next attempt waits 2^(12-10) = 4 s after the last failure
        let wait = try #require(try LoginThrottle.retryAfterSeconds(db, email: email, ip: "192.0.2.7", config: config))
        #expect((3...4).contains(wait), "\(wait) s")
        try fail(email, times: 4, db)  // 16: 64 s
        let longer = try #require(try LoginThrottle.retryAfterSeconds(db, email: email, ip: "192.0.2.7", config: config))
        #expect((63...64).contains(longer), "\(longer) s")
        // Failures an hour old count no more.
        let old = TestEnvironment.uniqueEmail()
        try fail(old, times: 50, minutesAgo: 61, db)
        #expect(try LoginThrottle.retryAfterSeconds(db, email: old, ip: "192.0.2.7", config: config) == nil)
    }

    @Test func atAHundredFailuresInAnHourNoAttemptUntilTheOldestLeavesIt() throws {
        let db = try TestEnvironment.connectApp()
        let config = try config(perAccount: 10, perIP: 1000)
        let email = TestEnvironment.uniqueEmail()
        try fail(email, times: 99, minutesAgo: 30, db)
        // 99 failures, the last half an hour ago: the doubling delay (2^89 s, at most 15 minutes) has passed.
        #expect(try LoginThrottle.retryAfterSeconds(db, email: email, ip: "192.0.2.8", config: config) == nil)
        try fail(email, times: 1, minutesAgo: 30, db)
        let wait = try #require(try LoginThrottle.retryAfterSeconds(db, email: email, ip: "192.0.2.8", config: config))
        #expect((1790...1800).contains(wait), "ASVS 2.2.1: at most 100 failed attempts an hour; \(wait) s")
    }

    @Test func aPasswordResetLetsTheOwnerBackInAtOnce() throws {
        let db = try TestEnvironment.connectApp()
        let config = try config(perAccount: 10, perIP: 1000)
        let email = TestEnvironment.uniqueEmail()
        let user = try #require(
            try db.queryRow(
                "INSERT INTO users (name, email, password_hash, time_zone) VALUES ('Owner', $1, '$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA', 'UTC') RETURNING id",
                [.text(email)])?.int(0))
        try fail(email, times: 100, minutesAgo: 5, db)
        for _ in 0..<10 { try LoginThrottle.record(db, email: email, ip: "192.0.2.9", succeeded: false) }
        #expect(try LoginThrottle.retryAfterSeconds(db, email: email, ip: "192.0.2.9", config: config) != nil)
        // What Users.setPassword writes when the owner resets the password by mail.
        try db.query("INSERT INTO password_history (user_id, password_hash) VALUES ($1, '$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$b2xk')", [.int(user)])
        #expect(try LoginThrottle.retryAfterSeconds(db, email: email, ip: "192.0.2.9", config: config) == nil)
    }

    @Test func waitsReadAsSecondsOrMinutes() {
        #expect(LoginThrottle.describe(1) == "1 second")
        #expect(LoginThrottle.describe(42) == "42 seconds")
        #expect(LoginThrottle.describe(60) == "1 minute")
        #expect(LoginThrottle.describe(61) == "2 minutes")
        #expect(LoginThrottle.describe(900) == "15 minutes")
    }

    @Test func refusesAfterTooManyFailuresPerIP() throws {
        let db = try TestEnvironment.connectApp()
        let config = try config(perAccount: 100, perIP: 5)
        let ip = "198.51.100.\(Int.random(in: 1...250))"
        try db.query("DELETE FROM login_attempts WHERE ip = $1::inet", [.text(ip)])
        for _ in 0..<5 { try LoginThrottle.record(db, email: TestEnvironment.uniqueEmail(), ip: ip, succeeded: false) }
        #expect(try LoginThrottle.retryAfterSeconds(db, email: TestEnvironment.uniqueEmail(), ip: ip, config: config) != nil)
        #expect(try LoginThrottle.retryAfterSeconds(db, email: TestEnvironment.uniqueEmail(), ip: "203.0.113.7", config: config) == nil)
    }

    @Test func failuresOutsideTheWindowDoNotCount() throws {
        let db = try TestEnvironment.connectApp()
        let config = try config(perAccount: 2, perIP: 1000)
        let email = TestEnvironment.uniqueEmail()
        try db.query(
            """
            INSERT INTO login_attempts (email, ip, succeeded, attempted_at)
            SELECT $1, '192.0.2.5', false, now() - interval '16 minutes' FROM generate_series(1, 5)
            """, [.text(email)])
        #expect(try LoginThrottle.retryAfterSeconds(db, email: email, ip: "192.0.2.5", config: config) == nil)
    }
}
