// A seeded random sequence of grants, spends, refunds, adjustments and repeated keys against a model
// of the ledger, with the invariants checked after every step. Replay a failure with its seed:
// HERALD_CREDITS_SEED=<seed> make test FILTER=aSeededRandomSequence
import Foundation
import Testing

@testable import HeraldBilling
@testable import HeraldDatabase

/// SplitMix64: small, fast, and the same sequence for the same seed on every platform.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct LedgerRandomTests {
    /// What the test believes the ledger holds.
    struct Model {
        var balance = 0
        var entries = 0
        /// Every key used, with what it recorded.
        var keys: [String: CreditEntry] = [:]
        var refundable: [CreditEntry] = []
        var refunded: Set<Int> = []
    }

    @Test func aSeededRandomSequenceKeepsEveryInvariant() throws {
        let seed = TestEnvironment.variables["HERALD_CREDITS_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64(Int64.max))
        print("LedgerRandomTests seed \(seed): replay with HERALD_CREDITS_SEED=\(seed) make test FILTER=aSeededRandomSequence")
        var rng = SplitMix64(seed: seed)
        let (workspace, _) = try CreditsSupport.workspace(balance: 0)
        let ws = workspace.id
        let db = try TestEnvironment.connectApp()
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        var model = Model()
        var counter = 0

        for step in 1...400 {
            counter += 1
            let context = "seed \(seed), step \(step)"
            // A third of the operations run inside a caller's transaction (the savepoint path).
            let inTransaction = rng.next() % 3 == 0
            func run(_ operation: (Connection) throws -> CreditPosting) throws -> Result<CreditPosting, CreditError> {
                func call(_ db: Connection) throws -> Result<CreditPosting, CreditError> {
                    do { return .success(try operation(db)) } catch let error as CreditError { return .failure(error) }
                }
                guard inTransaction else { return try call(db) }
                return try db.transaction(workspace: ws) { db in
                    let result = try call(db)
                    _ = try db.query("SELECT 1")  // still usable after a refusal
                    return result
                }
            }
            let roll = rng.next() % 100
            switch roll {
            case 0..<25:
                let amount = Int(rng.next() % 60) + 1
                let key = "grant-\(counter)"
                let result = try run { try Credits.grant($0, workspace: ws, amount: amount, key: key) }
                let posting = try #require(try? result.get(), "\(context): grant failed: \(result)")
                model.balance += amount
                model.entries += 1
                model.keys[key] = posting.entry
                #expect(posting.entry.balanceAfter == model.balance, "\(context)")
            case 25..<55:
                let amount = Int(rng.next() % 40) + 1
                let key = "spend-\(counter)"
                let result = try run { try Credits.spend($0, workspace: ws, credits: amount, key: key) }
                if model.balance >= amount {
                    let posting = try #require(try? result.get(), "\(context): spend of \(amount) from \(model.balance) failed: \(result)")
                    model.balance -= amount
                    model.entries += 1
                    model.keys[key] = posting.entry
                    model.refundable.append(posting.entry)
                } else {
                    #expect(throws: CreditError.insufficient(balance: model.balance, needed: amount), "\(context)") { try result.get() }
                }
            case 55..<65:
                guard !model.refundable.isEmpty else { continue }
                let spend = model.refundable[Int(rng.next() % UInt64(model.refundable.count))]
                let result = try run { try Credits.refund($0, workspace: ws, entry: spend.id, reason: "random refund") }
                let posting = try #require(try? result.get(), "\(context): refund failed: \(result)")
                if model.refunded.contains(spend.id) {
                    #expect(posting.replayed && posting.entry == model.keys["refund:\(spend.id)"], "\(context)")
                } else {
                    #expect(!posting.replayed && posting.entry.amount == -spend.amount, "\(context)")
                    model.balance -= spend.amount
                    model.entries += 1
                    model.refunded.insert(spend.id)
                    model.keys["refund:\(spend.id)"] = posting.entry
                }
            case 65..<80:
                let magnitude = Int(rng.next() % 30) + 1
                let amount = rng.next() % 2 == 0 ? magnitude : -magnitude
                let key = "adjust-\(counter)"
                let result = try run { try Credits.adjust($0, workspace: ws, amount: amount, key: key, reason: "random adjustment") }
                if model.balance + amount >= 0 {
                    let posting = try #require(try? result.get(), "\(context): adjustment \(amount) failed: \(result)")
                    model.balance += amount
                    model.entries += 1
                    model.keys[key] = posting.entry
                } else {
                    #expect(throws: CreditError.insufficient(balance: model.balance, needed: -amount), "\(context)") { try result.get() }
                }
            case 80..<90:
                // The same operation again under its key: the first entry, nothing changed.
                guard let (key, entry) = model.keys.filter({ !$0.key.hasPrefix("refund:") }).randomElement(using: &rng) else { continue }
                let result: Result<CreditPosting, CreditError>
                switch entry.kind {
                case .grant: result = try run { try Credits.grant($0, workspace: ws, amount: entry.amount, key: key) }
                case .spend: result = try run { try Credits.spend($0, workspace: ws, credits: -entry.amount, key: key) }
                default: result = try run { try Credits.adjust($0, workspace: ws, amount: entry.amount, key: key, reason: "again") }
                }
                let posting = try #require(try? result.get(), "\(context): replay of \(key) failed: \(result)")
                #expect(posting.replayed && posting.entry == entry, "\(context): replay of \(key)")
            default:
                // The same key with another amount: refused, nothing changed.
                guard let (key, entry) = model.keys.filter({ $0.value.kind == .spend }).randomElement(using: &rng) else { continue }
                let result = try run { try Credits.spend($0, workspace: ws, credits: -entry.amount + 1, key: key) }
                guard case .failure(.keyReused(key, entry, _)) = result else {
                    Issue.record("\(context): \(key) reused with another amount gave \(result)")
                    continue
                }
            }
            let state = try CreditsSupport.state(ws, admin)
            #expect(
                state == CreditsSupport.LedgerState(balance: model.balance, sum: model.balance, entries: model.entries, chainBreaks: 0),
                "\(context): the database has \(state), the model balance \(model.balance) in \(model.entries) entries")
            if state.balance != model.balance || state.chainBreaks != 0 || state.sum != state.balance { return }
        }
    }
}
