// Workspace roles and what each may do: the one place in code that says who may do what
// (README.md shows the same table). Handlers check it; row-level security is the second wall.

/// A member's role in a workspace, most powerful first.
public enum Role: String, Sendable, CaseIterable, Comparable {
    case owner, admin, editor, reviewer, viewer

    public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    /// The role with its indefinite article, for sentences: "an owner", "an admin", "an editor",
    /// "a reviewer", "a viewer". Every page and message that names a role in a sentence uses it.
    public var withArticle: String {
        switch self {
        case .owner, .admin, .editor: return "an \(rawValue)"
        case .reviewer, .viewer: return "a \(rawValue)"
        }
    }

    /// "You are an editor in Acme Coffee." The sentence a refusal starts with.
    public func youAre(in workspace: String) -> String { "You are \(withArticle) in \(workspace)." }

    public var summary: String {
        switch self {
        case .owner: return "Everything, including deleting the workspace and billing"
        case .admin: return "Members, channels, settings; approves posts"
        case .editor: return "Writes posts, submits them for review, schedules approved posts"
        case .reviewer: return "Approves or rejects others' posts, comments"
        case .viewer: return "Reads everything, changes nothing"
        }
    }

    private var rank: Int { Role.allCases.firstIndex(of: self)! }
    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank > rhs.rank }

    /// The roles an invitation or a role change may give (ownership only moves by transfer).
    public static let assignable: [Role] = [.admin, .editor, .reviewer, .viewer]
}

/// Everything a member may try to do in a workspace.
public enum WorkspaceAction: String, Sendable, CaseIterable {
    case view
    case manageMembers
    case editSettings
    case manageChannels
    case writePosts
    case schedulePosts
    case reviewPosts
    case comment
    case viewCredits
    case spendCredits
    case manageBilling
    case transferOwnership
    case deleteWorkspace

    /// The roles allowed to do it.
    public var allowedRoles: Set<Role> {
        switch self {
        case .view: return Set(Role.allCases)
        case .manageMembers, .editSettings, .manageChannels: return [.owner, .admin]
        case .writePosts, .schedulePosts: return [.owner, .admin, .editor]
        case .reviewPosts: return [.owner, .admin, .reviewer]
        case .comment: return [.owner, .admin, .editor, .reviewer]
        case .viewCredits: return [.owner, .admin]
        case .spendCredits: return [.owner, .admin, .editor]
        case .manageBilling, .transferOwnership, .deleteWorkspace: return [.owner]
        }
    }

    public var label: String {
        switch self {
        case .view: return "See the workspace, its members and posts"
        case .manageMembers: return "Invite and remove members, change roles"
        case .editSettings: return "Change the workspace's name and time zone"
        case .manageChannels: return "Connect and disconnect social accounts"
        case .writePosts: return "Write posts and submit them for review"
        case .schedulePosts: return "Schedule approved posts"
        case .reviewPosts: return "Approve or reject others' posts"
        case .comment: return "Comment on posts"
        case .viewCredits: return "See the credit balance and ledger"
        case .spendCredits: return "Spend credits (generating, extra publishing)"
        case .manageBilling: return "Plans and billing"
        case .transferOwnership: return "Transfer ownership"
        case .deleteWorkspace: return "Delete the workspace"
        }
    }
}

extension Role {
    public func may(_ action: WorkspaceAction) -> Bool { action.allowedRoles.contains(self) }
}
