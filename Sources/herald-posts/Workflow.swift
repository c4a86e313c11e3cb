// The post workflow: which action moves a post from which status to which, and who may. Enforced
// on the server whatever the client sends; PostgreSQL refuses self-approval as well.
import HeraldFastCGI
import HeraldIdentity

enum PostStatus: String, CaseIterable, Sendable {
    case draft
    case inReview = "in_review"
    case approved, scheduled, publishing, published
    case partiallyPublished = "partially_published"
    case failed, rejected

    var label: String {
        switch self {
        case .draft: return "Draft"
        case .inReview: return "In review"
        case .approved: return "Approved"
        case .scheduled: return "Scheduled"
        case .publishing: return "Publishing"
        case .published: return "Published"
        case .partiallyPublished: return "Partly published"
        case .failed: return "Failed"
        case .rejected: return "Rejected"
        }
    }

    var badgeClass: String {
        switch self {
        case .draft: return "muted"
        case .inReview: return "warn"
        case .approved, .scheduled: return "info"
        case .published: return ""
        case .publishing, .partiallyPublished: return "warn"
        case .failed, .rejected: return "danger"
        }
    }
}

enum PostAction: String, CaseIterable, Sendable {
    case edit, submit, approve, reject, schedule, unschedule, delete

    /// The status the post moves to from `status`, or nil when the action does not apply there.
    func target(from status: PostStatus) -> PostStatus? {
        switch (self, status) {
        case (.edit, .draft), (.edit, .inReview), (.edit, .rejected), (.edit, .approved), (.edit, .scheduled): return .draft
        case (.submit, .draft), (.submit, .rejected): return .inReview
        case (.approve, .inReview): return .approved
        case (.reject, .inReview): return .rejected
        case (.schedule, .approved), (.schedule, .scheduled): return .scheduled
        case (.unschedule, .scheduled): return .approved
        case (.delete, .draft), (.delete, .inReview), (.delete, .rejected), (.delete, .approved), (.delete, .scheduled), (.delete, .failed):
            return .draft  // (the row goes away; any status marks "allowed")
        default: return nil
        }
    }

    /// The permission the action needs (Roles.swift says which roles have it).
    var permission: WorkspaceAction {
        switch self {
        case .edit, .submit, .delete: return .writePosts
        case .approve, .reject: return .reviewPosts
        case .schedule, .unschedule: return .schedulePosts
        }
    }

    var auditAction: String {
        switch self {
        case .edit: return "post.edited"
        case .submit: return "post.submitted"
        case .approve: return "post.approved"
        case .reject: return "post.rejected"
        case .schedule: return "post.scheduled"
        case .unschedule: return "post.unscheduled"
        case .delete: return "post.deleted"
        }
    }

    /// Why it is refused here, or nil when `role` may do it to a post in `status` written by `author`.
    func refusal(status: PostStatus, role: Role, userIsAuthor: Bool) -> HTTPError? {
        guard role.may(permission) else {
            let allowed = Role.allCases.filter { permission.allowedRoles.contains($0) }.map(\.label).joined(separator: ", ")
            return HTTPError(403, "Not allowed", "You are \(role.withArticle) here; to \(rawValue) a post takes one of: \(allowed).")
        }
        if (self == .approve || self == .reject) && userIsAuthor {
            return HTTPError(403, "Not your own post", "You wrote this post, so someone else must review it.")
        }
        guard target(from: status) != nil else {
            return HTTPError(409, "Not possible now", "A post that is \(status.label.lowercased()) cannot be \(pastTense). \(hint(for: status))")
        }
        return nil
    }

    var pastTense: String {
        switch self {
        case .edit: return "edited"
        case .submit: return "submitted for review"
        case .approve: return "approved"
        case .reject: return "rejected"
        case .schedule: return "scheduled"
        case .unschedule: return "unscheduled"
        case .delete: return "deleted"
        }
    }

    func hint(for status: PostStatus) -> String {
        switch (self, status) {
        case (.schedule, .draft), (.schedule, .inReview), (.schedule, .rejected): return "It must be approved first."
        case (.approve, _), (.reject, _): return "Only posts in review are approved or rejected."
        case (.submit, .inReview): return "It is waiting for review already."
        case (_, .publishing): return "It is being published now."
        default: return ""
        }
    }
}
