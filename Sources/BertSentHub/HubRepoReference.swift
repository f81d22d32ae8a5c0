import BertSentCore

/// A model named as transformers users name it: `ORG/NAME`, a legacy `NAME`, optionally `@REVISION`.
public struct HubRepoReference: Equatable, Sendable {
    /// The repo id, `org/name` or a legacy name without organisation.
    public var repo: String
    /// A branch, tag or 40-hex commit; `main` when none is given.
    public var revision: String

    /// The repo `repo` at `revision`, `main` by default.
    public init(repo: String, revision: String = "main") {
        self.repo = repo
        self.revision = revision
    }

    /// Parses `REPO[@REVISION]`; a name that cannot be a repo id (empty parts, more than one `/`) is an error.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let repo = parts[0]
        let revision = parts.count > 1 ? parts[1] : "main"
        let pieces = repo.split(separator: "/", omittingEmptySubsequences: false)
        guard !repo.isEmpty, !revision.isEmpty, pieces.count <= 2,
            pieces.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." })
        else {
            throw HubError.invalidRepoID(text)
        }
        self.init(repo: repo, revision: revision)
    }

    /// The cache folder name, as huggingface_hub's `repo_folder_name`: `models--ORG--NAME`.
    public var folderName: String { (["models"] + repo.split(separator: "/").map(String.init)).joined(separator: "--") }

    /// Whether the revision is a full commit hash, which needs no `refs/` lookup.
    public var revisionIsCommit: Bool { HubRepoReference.isCommit(revision) }

    static func isCommit(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
