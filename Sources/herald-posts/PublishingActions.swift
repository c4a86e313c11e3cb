// What the publishing page's actions (retry, cancel, mark live) share: which target status each
// applies to, loading the target with that check (404 for none in this workspace, 409 when its
// status no longer allows it), the audit event on its post, and the redirect back to the page.
import HeraldDatabase
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum TargetAction: String, Sendable {
    case retry, cancel, markLive

    /// Whether the action applies to a target in `status` of a post in `post`.
    func allows(_ status: TargetStatus, post: PostStatus) -> Bool {
        switch (self, status) {
        // A pending target of a post that is not (or no longer) scheduled is not on its way out.
        case (.retry, .pending), (.cancel, .pending): return post == .scheduled || post == .publishing
        case (.retry, .failed): return [.publishing, .failed, .partiallyPublished].contains(post)
        case (.markLive, .unconfirmed), (.retry, .unconfirmed): return true
        default: return false
        }
    }

    var pastTense: String {
        switch self {
        case .retry: return "sent again"
        case .cancel: return "canceled"
        case .markLive: return "marked as live"
        }
    }

    var auditAction: String {
        switch self {
        case .retry: return "post.send_retried"
        case .cancel: return "post.send_canceled"
        case .markLive: return "post.marked_live"
        }
    }

    func refusal(_ target: PublishingTarget) -> HTTPError {
        let why: String
        switch target.status {
        case .publishing: why = "It is being sent now."
        case .published: why = "It is published already."
        case .canceled: why = "It was canceled."
        case .pending, .failed: why = target.postStatus == .scheduled || target.postStatus == .publishing ? "" : "Its post is not scheduled any more."
        case .unconfirmed: why = "Mark it live with its address, or ask Herald to check it again."
        }
        let message = [
            "This channel's send is \(target.status.label.lowercased()) now, so it cannot be \(pastTense).", why,
            "Reload the page to see where it is.",
        ]
        return HTTPError(409, "Not possible now", message.filter { !$0.isEmpty }.joined(separator: " "))
    }
}

enum PublishingActions {
    /// Loads the target and refuses what its status (or its post's) no longer allows.
    static func load(_ action: TargetAction, _ id: Int, _ access: WorkspaceAccess, _ db: Connection) throws -> PublishingTarget {
        guard let target = try PublishingStore.find(access.id, target: id, db) else { throw HTTPError.notFound }
        guard action.allows(target.status, post: target.postStatus) else { throw action.refusal(target) }
        return target
    }

    static let changedMeanwhile = HTTPError(
        409, "Changed meanwhile", "This channel's send moved on while you were looking at it. Reload the page to see where it is now.")

    /// The audit event, on the target's post (so the post's history shows it).
    static func record(
        _ action: TargetAction, _ target: PublishingTarget, _ access: WorkspaceAccess, _ db: Connection, _ c: RequestContext,
        details: [String: String] = [:]
    ) throws {
        try Audit.record(
            db, workspace: access.id, actor: access.user.id, action: action.auditAction, targetType: "post", targetID: target.postID,
            details: details.merging(["target": String(target.id), "account": String(target.accountID), "was": target.status.rawValue]) { $1 },
            ip: c.request.remoteAddress)
    }

    /// Back to the publishing page with a notice.
    static func back(_ access: WorkspaceAccess, notice: String) -> Response {
        .redirect(to: access.path("/publishing?notice=\(notice)"))
    }

    /// Why `url` cannot be the address of a live post, or nil when it can: http(s), a host, no
    /// spaces, at most 2,048 characters (the limits post_targets keeps).
    static func liveURLProblem(_ url: String) -> String? {
        guard !url.isEmpty else { return "Enter the address of the live post." }
        guard url.unicodeScalars.count <= 2048 else { return "That address is longer than 2,048 characters; use the post's own short link." }
        let rest: Substring
        if url.hasPrefix("https://") {
            rest = url.dropFirst(8)
        } else if url.hasPrefix("http://") {
            rest = url.dropFirst(7)
        } else {
            return "Enter the full address of the post, starting with https://."
        }
        guard let first = rest.first, first != "/",
            !rest.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 32 || $0.value == 127 })
        else { return "That is not a web address: enter the post's link as your browser shows it, with no spaces." }
        return nil
    }
}
