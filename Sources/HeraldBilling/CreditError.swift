// Why a ledger operation changed nothing, in words for people.
public import HeraldSupport

/// Why a ledger operation changed nothing. `description` is the message for people.
public enum CreditError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The debit would take the balance below zero.
    case insufficient(balance: Int, needed: Int)
    /// The key was used before for another operation; `existing` is what that recorded.
    case keyReused(key: String, existing: CreditEntry, requested: String)
    case unknownAction(String)
    case notRefundable(entryID: Int, reason: String)
    case invalid(String)

    public var description: String {
        switch self {
        case .insufficient(let balance, let needed):
            return "not enough credits: you have \(balance), this needs \(needed)"
        case .keyReused(let key, let existing, let requested):
            return "the idempotency key \"\(key)\" was already used for \(Credits.describe(existing.kind, existing.amount)) "
                + "(entry \(existing.id)); this asks for \(requested), so nothing was recorded"
        case .unknownAction(let action):
            return "there is no price for the action \"\(action)\""
        case .notRefundable(let id, let reason):
            return "entry \(id) cannot be refunded: \(reason)"
        case .invalid(let message):
            return message
        }
    }

    public var message: String { description }
}

extension CreditError: UserFacingError {
    /// What the ledger's state refuses is a conflict; a bad action or amount is bad input.
    public var refusal: RefusalKind {
        switch self {
        case .insufficient, .keyReused, .notRefundable: return .conflict
        case .unknownAction, .invalid: return .invalidInput
        }
    }

    public var title: String {
        switch self {
        case .insufficient: return "Not enough credits"
        case .keyReused: return "Already recorded differently"
        case .notRefundable: return "Cannot refund"
        case .unknownAction, .invalid: return "Bad request"
        }
    }
}
