import Testing

@testable import HeraldDatabase
@testable import HeraldSupport
// The libpq wrapper against the real test cluster: bound parameters, decoding, errors with
// SQLSTATE and constraint, transactions, reconnecting after the connection was killed.
@testable import herald_auth

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct ConnectionTests {
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

    @Test func refusesAfterTooManyFailuresPerAccount() throws {
        let db = try TestEnvironment.connectApp()
        let config = try config(perAccount: 3, perIP: 1000)
        let email = TestEnvironment.uniqueEmail()
        for _ in 0..<3 {
            #expect(try LoginThrottle.retryAfterMinutes(db, email: email, ip: "192.0.2.1", config: config) == nil)
            try LoginThrottle.record(db, email: email, ip: "192.0.2.1", succeeded: false)
        }
        let wait = try LoginThrottle.retryAfterMinutes(db, email: email, ip: "192.0.2.99", config: config)
        #expect(wait == 15, "the account is locked from any IP until the oldest failure leaves the window")
        #expect(try LoginThrottle.retryAfterMinutes(db, email: TestEnvironment.uniqueEmail(), ip: "192.0.2.99", config: config) == nil)
    }

    @Test func refusesAfterTooManyFailuresPerIP() throws {
        let db = try TestEnvironment.connectApp()
        let config = try config(perAccount: 100, perIP: 5)
        let ip = "198.51.100.\(Int.random(in: 1...250))"
        try db.query("DELETE FROM login_attempts WHERE ip = $1::inet", [.text(ip)])
        for _ in 0..<5 { try LoginThrottle.record(db, email: TestEnvironment.uniqueEmail(), ip: ip, succeeded: false) }
        #expect(try LoginThrottle.retryAfterMinutes(db, email: TestEnvironment.uniqueEmail(), ip: ip, config: config) != nil)
        #expect(try LoginThrottle.retryAfterMinutes(db, email: TestEnvironment.uniqueEmail(), ip: "203.0.113.7", config: config) == nil)
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
        #expect(try LoginThrottle.retryAfterMinutes(db, email: email, ip: "192.0.2.5", config: config) == nil)
    }
}
