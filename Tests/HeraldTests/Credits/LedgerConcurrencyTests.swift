// The ledger under concurrent use, through the core API with real connections as herald_app: no
// interleaving overdraws a balance, and a key sent by many at once is recorded once.
import Foundation
import Testing

@testable import HeraldBilling
@testable import HeraldDatabase
@testable import HeraldSupport
@testable import HeraldWeb

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct LedgerConcurrencyTests {
    @Test func fiftyConnectionsTryingTenDebitsOfThreeFromOneHundred() throws {
        let (workspace, _) = try CreditsSupport.workspace(balance: 100)
        let id = workspace.id
        let outcomes = CreditsSupport.concurrently(50) { index, barrier -> [String] in
            let db: Connection
            do { db = try TestEnvironment.connectApp() } catch {
                barrier.wait()
                return ["cannot connect: \(error)"]
            }
            barrier.wait()
            return (0..<10).map { attempt in
                do {
                    let posting = try Credits.spend(db, workspace: id, credits: 3, key: "debit-\(index)-\(attempt)")
                    return "ok \(posting.entry.balanceAfter)"
                } catch let error as CreditError {
                    return error.description
                } catch {
                    return "unexpected: \(error)"
                }
            }
        }
        let all = outcomes.flatMap { $0 }
        #expect(all.count == 500)
        let successes = all.filter { $0.hasPrefix("ok ") }
        #expect(successes.count == 33, "successful debits: \(successes.count)")
        // One at a time under the account's lock: every balance from 97 down to 1 appears exactly once.
        #expect(successes.map { Int($0.dropFirst(3))! }.sorted() == Array(stride(from: 1, through: 97, by: 3)))
        let refusals = all.filter { !$0.hasPrefix("ok ") }
        #expect(refusals.count == 467)
        #expect(Set(refusals) == ["not enough credits: you have 1, this needs 3"], "refusals: \(Set(refusals))")
        let state = try CreditsSupport.state(id)
        #expect(state == CreditsSupport.LedgerState(balance: 1, sum: 1, entries: 34, chainBreaks: 0), "\(state)")
    }

    @Test func theSameKeyFromTwentyConnectionsAtOnceIsOneEntry() throws {
        let (workspace, _) = try CreditsSupport.workspace(balance: 100)
        let id = workspace.id
        let outcomes = CreditsSupport.concurrently(20) { _, barrier -> Result<CreditPosting, CreditsFailure> in
            let db: Connection
            do { db = try TestEnvironment.connectApp() } catch {
                barrier.wait()
                return .failure(CreditsFailure("\(error)"))
            }
            barrier.wait()
            do {
                return .success(try Credits.spend(db, workspace: id, action: "generate_post", key: "order-7", reference: "order:7"))
            } catch {
                return .failure(CreditsFailure("\(error)"))
            }
        }
        let postings = try outcomes.map { try $0.get() }
        let first = try #require(postings.first)
        // Identical answers: the same entry for all twenty; one of them made it, the rest replayed it.
        #expect(postings.allSatisfy { $0.entry == first.entry })
        #expect(postings.filter { !$0.replayed }.count == 1)
        #expect(first.entry.amount == -3 && first.entry.balanceAfter == 97 && first.entry.reference == "order:7")
        #expect(try CreditsSupport.entries(withKey: "order-7", in: id) == 1)
        #expect(try CreditsSupport.state(id) == CreditsSupport.LedgerState(balance: 97, sum: 97, entries: 2, chainBreaks: 0))
    }

    @Test func aRepeatedKeyReturnsTheFirstResultAndADifferentAmountIsRefused() throws {
        let (workspace, _) = try CreditsSupport.workspace(balance: 50)
        let db = try TestEnvironment.connectApp()
        let first = try Credits.spend(db, workspace: workspace.id, credits: 3, key: "job-1")
        let again = try Credits.spend(db, workspace: workspace.id, credits: 3, key: "job-1")
        #expect(!first.replayed && again.replayed && again.entry == first.entry)
        #expect(throws: CreditError.self) { try Credits.spend(db, workspace: workspace.id, credits: 5, key: "job-1") }
        do {
            _ = try Credits.spend(db, workspace: workspace.id, credits: 5, key: "job-1")
        } catch let error as CreditError {
            #expect(
                error.description.hasPrefix(
                    "the idempotency key \"job-1\" was already used for a spend of 3 credits (entry \(first.entry.id)); this asks for a spend of 5 credits"
                ),
                "\(error)")
        }
        // Another kind under the same key is another operation too.
        #expect(throws: CreditError.self) { try Credits.grant(db, workspace: workspace.id, amount: 3, key: "job-1") }
        // Inside a transaction the refusal leaves the transaction usable (a savepoint took the failed insert).
        let balance = try db.transaction(workspace: workspace.id) { db in
            #expect(throws: CreditError.self) { try Credits.spend(db, workspace: workspace.id, credits: 7, key: "job-1") }
            #expect(throws: CreditError.self) { try Credits.spend(db, workspace: workspace.id, credits: 1000, key: "job-2") }
            return try Credits.balance(db, workspace: workspace.id)
        }
        #expect(balance == 47)
        #expect(try CreditsSupport.state(workspace.id) == CreditsSupport.LedgerState(balance: 47, sum: 47, entries: 2, chainBreaks: 0))
    }

    @Test func aShortBalanceIsRefusedWithTheExactMessageAndChangesNothing() throws {
        let (workspace, _) = try CreditsSupport.workspace(balance: 5)
        let db = try TestEnvironment.connectApp()
        let before = try CreditsSupport.state(workspace.id)
        do {
            _ = try Credits.spend(db, workspace: workspace.id, action: "generate_image", key: "image-1")
            Issue.record("a spend of 10 from 5 went through")
        } catch let error as CreditError {
            #expect(error.description == "not enough credits: you have 5, this needs 10")
            #expect(error.refusal.httpStatus == 409)
        }
        #expect(try CreditsSupport.state(workspace.id) == before)
        #expect(try CreditsSupport.entries(withKey: "image-1", in: workspace.id) == 0)
        // The key was not used up: once there are credits, the same request goes through.
        _ = try Credits.grant(db, workspace: workspace.id, amount: 5, key: "top-up")
        #expect(try Credits.spend(db, workspace: workspace.id, action: "generate_image", key: "image-1").entry.balanceAfter == 0)
        // A workspace without an account yet has 0 and opens none by failing.
        let (empty, _) = try CreditsSupport.workspace(balance: 0)
        #expect(throws: CreditError.insufficient(balance: 0, needed: 3)) {
            try Credits.spend(db, workspace: empty.id, action: "generate_post", key: "first")
        }
        #expect(try Fixtures.count("SELECT count(*) FROM credit_accounts WHERE workspace_id = $1", [.int(empty.id)]) == 0)
        #expect(throws: CreditError.unknownAction("time_travel")) {
            try Credits.spend(db, workspace: workspace.id, action: "time_travel", key: "tt")
        }
    }

    @Test func refundsAndAdjustmentsAreNewEntriesThatReferenceTheOriginal() throws {
        let (workspace, _) = try CreditsSupport.workspace(balance: 20)
        let db = try TestEnvironment.connectApp()
        let spend = try Credits.spend(db, workspace: workspace.id, action: "generate_image", key: "img")
        let refund = try Credits.refund(db, workspace: workspace.id, entry: spend.entry.id, reason: "the image never arrived")
        #expect(refund.entry.kind == .refund && refund.entry.amount == 10 && refund.entry.reference == "entry:\(spend.entry.id)")
        #expect(refund.entry.idempotencyKey == "refund:\(spend.entry.id)" && refund.entry.note == "the image never arrived")
        // At most once per spend; the spend itself is untouched.
        #expect(try Credits.refund(db, workspace: workspace.id, entry: spend.entry.id, reason: "again").replayed)
        #expect(try Credits.entry(db, workspace: workspace.id, id: spend.entry.id) == spend.entry)
        #expect(throws: CreditError.self) { try Credits.refund(db, workspace: workspace.id, entry: refund.entry.id, reason: "refund a refund") }
        #expect(throws: CreditError.self) { try Credits.adjust(db, workspace: workspace.id, amount: 5, key: "adj", reason: "  ") }
        #expect(try Credits.adjust(db, workspace: workspace.id, amount: -15, key: "adj", reason: "goodwill reversed").entry.balanceAfter == 5)
        #expect(throws: CreditError.insufficient(balance: 5, needed: 6)) {
            try Credits.adjust(db, workspace: workspace.id, amount: -6, key: "adj-2", reason: "too much")
        }
        #expect(try CreditsSupport.state(workspace.id) == CreditsSupport.LedgerState(balance: 5, sum: 5, entries: 4, chainBreaks: 0))
    }
}

/// A failure carried out of a thread as a value.
struct CreditsFailure: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
