// How a layer says "this request cannot be done, and here is why" without knowing HTTP: the
// central catcher (HeraldWeb) turns the kind into a status page.

/// What kind of refusal an error is, in the terms of the code that throws it.
public enum RefusalKind: Sendable {
    /// The input is malformed or out of range (400).
    case invalidInput
    /// The input is fine, but the current state refuses it: a balance, a limit, a conflicting key (409).
    case conflict
    /// The thing asked for does not exist, or is not this caller's to see (404).
    case notFound
    /// The caller may not do this (403).
    case notAllowed
    /// Something Herald depends on cannot serve right now; trying later may work (503).
    case unavailable
}

/// An error a person can be shown: a title, a sentence that says what to do, and its kind.
/// Domain errors (`CreditError`, `PlanLimitError`, …) conform to it in their own target.
public protocol UserFacingError: Error {
    var refusal: RefusalKind { get }
    var title: String { get }
    var message: String { get }
}
