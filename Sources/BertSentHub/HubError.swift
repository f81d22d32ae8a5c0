import BertSentCore
import BertSentFormats
import Foundation

/// What resolving a model name or downloading a repo from the Hugging Face Hub throws, naming the repo,
/// the file and the URL or cache path. Plain writes into the cache throw `FileError`.
public enum HubError: BertSentError, Equatable {
    // MARK: names and settings

    /// `text` is neither a model folder nor a Hub repo id (`ORG/NAME` or `NAME`, optionally `@REVISION`).
    case invalidRepoID(String)
    /// No model was named and the default model is not installed at `path`.
    case defaultModelMissing(path: String)
    /// `path` is written as a path (/, ., ~) but is not a folder.
    case notAModelFolder(path: String)
    /// The environment variable `variable` that sets a timeout is `value`, not a positive number of seconds.
    case invalidTimeout(variable: String, value: String)
    /// Offline, and the cache folder `repoFolder` has no complete snapshot of `reference`.
    case offlineNotCached(HubRepoReference, repoFolder: String)

    // MARK: what the Hub answered

    /// HTTP 401 at `url`: `repo` is gated or private, and no token was sent or the one sent (`tokenSent`) was refused.
    case unauthorized(repo: String, url: String, tokenSent: Bool)
    /// HTTP 403 at `url`: access to `repo` is refused (its terms are not accepted, or the token lacks access).
    case forbidden(repo: String, url: String)
    /// HTTP 404 at `url` without a commit: `repo` or its `revision` does not exist at `endpoint`.
    case notFound(repo: String, revision: String, endpoint: String, file: String, url: String)
    /// The `method` request for `file` of `repo` got HTTP `status`, which the protocol does not expect.
    case unexpectedStatus(method: String, file: String, repo: String, status: Int, url: String)
    /// The metadata response at `url` lacks a usable `header`, or has `value` there, which is not a commit.
    case invalidMetadata(url: String, header: String, value: String?)
    /// `repo` at `revision` lacks `file`, which a model folder needs.
    case missingRepoFile(repo: String, revision: String, file: RepoFile, url: String)

    // MARK: transfers

    /// A `method` request to `url` received nothing for `timeout`.
    case timedOut(method: String, url: String, timeout: HubTimeout)
    /// A `method` request to `url` failed for `reason`, or got no HTTP response (`reason` nil).
    case requestFailed(method: String, url: String, reason: String?)
    /// `file` (from `url`) is `size` bytes, not the Hub's `expected`: as the server `announced` it before
    /// sending (nothing written), or as it arrived.
    case sizeMismatch(file: String, url: String, size: Int64, expected: Int64, announced: Bool)
    /// `file` (from `url`) has sha256 `sha256`, not the Hub's LFS etag `expected`; it was discarded.
    case checksumMismatch(file: String, url: String, sha256: String, expected: String)
    /// Downloading `file` into `partial` stopped because of `cause`; what arrived is kept for a resume.
    indirect case downloadInterrupted(file: String, partial: String, cause: HubError)
    /// Writing `file`'s download into `partial` failed for `reason` (no space, say); what arrived is kept.
    case downloadWriteFailed(file: String, partial: String, reason: String)
    /// The cache's lock file `path` could not be locked, for `reason`.
    case lockFailed(path: String, reason: String)

    /// A file a model repo must have.
    public enum RepoFile: Sendable, Equatable {
        /// config.json.
        case config
        /// vocab.txt or tokenizer.json.
        case tokenizer
        /// model.safetensors or model.safetensors.index.json.
        case weights
        /// A shard named by model.safetensors.index.json.
        case shard(String)
    }

    public var category: ErrorCategory {
        switch self {
        case .invalidRepoID, .invalidTimeout: .invalidInput
        case .defaultModelMissing, .notAModelFolder, .offlineNotCached, .notFound, .missingRepoFile: .fileUnavailable
        case .unauthorized, .forbidden, .unexpectedStatus, .invalidMetadata, .timedOut, .requestFailed, .sizeMismatch,
            .checksumMismatch:
            .network
        case .downloadInterrupted(_, _, let cause): cause.category
        case .downloadWriteFailed, .lockFailed: .writeFailed
        }
    }

    public var description: String { location.map { "\($0): \(message)" } ?? message }

    /// The URL or path the message is prefixed with.
    private var location: String? {
        switch self {
        case .invalidRepoID, .invalidTimeout, .offlineNotCached, .timedOut, .requestFailed: nil
        case .defaultModelMissing(let path), .notAModelFolder(let path), .lockFailed(let path, _): path
        case .unauthorized(_, let url, _), .forbidden(_, let url), .notFound(_, _, _, _, let url),
            .unexpectedStatus(_, _, _, _, let url), .invalidMetadata(let url, _, _), .missingRepoFile(_, _, _, let url),
            .sizeMismatch(_, let url, _, _, _), .checksumMismatch(_, let url, _, _):
            url
        case .downloadInterrupted(_, let partial, let cause): cause.location ?? partial
        case .downloadWriteFailed(_, let partial, _): partial
        }
    }

    private var message: String {
        switch self {
        case .invalidRepoID(let text):
            "'\(text)' is neither a model folder nor a Hub repo id (ORG/NAME or NAME, optionally @REVISION)"
        case .defaultModelMissing: "the default model is not installed; run scripts/setup.sh"
        case .notAModelFolder:
            "no model folder here (expected config.json, model.safetensors and vocab.txt or tokenizer.json)"
        case .invalidTimeout(let variable, let value):
            "environment variable \(variable) is '\(value)', not a positive number of seconds"
        case .offlineNotCached(let reference, let repoFolder):
            "offline (HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE is set) and the cache has no \(reference.repo)@\(reference.revision) in \(repoFolder) ("
                + (reference.revisionIsCommit
                    ? "snapshots/\(reference.revision)" : "refs/\(reference.revision) → snapshots/<commit>")
                + " with config.json, a vocabulary and the weights)"
        case .unauthorized(let repo, _, let tokenSent):
            "\(repo) needs authentication (HTTP 401): it is gated or private; "
                + (tokenSent
                    ? "the token sent (HF_TOKEN or the token file) was refused; use one with access"
                    : "set HF_TOKEN to a token with access")
        case .forbidden(let repo, _):
            "access to \(repo) is refused (HTTP 403); accept its terms on the Hub or use a token with access"
        case .notFound(let repo, let revision, let endpoint, let file, _):
            "repository \(repo) or revision \(revision) not found at \(endpoint) (HTTP 404 for \(file))"
        case .unexpectedStatus(let method, let file, let repo, let status, _):
            "\(method) for \(file) of \(repo) returned HTTP \(status)"
        case .invalidMetadata(_, let header, nil):
            header == "X-Repo-Commit"
                ? "the server sent no X-Repo-Commit header; is HF_ENDPOINT a Hugging Face Hub?"
                : "the server sent no usable \(header) header"
        case .invalidMetadata(_, let header, let value?): "header \(header) '\(value)' is not a 40-hex commit"
        case .missingRepoFile(let repo, let revision, let file, _):
            switch file {
            case .config: "\(repo) has no config.json at revision \(revision)"
            case .tokenizer: "\(repo)@\(revision) has neither vocab.txt nor tokenizer.json"
            case .weights:
                "\(repo)@\(revision) has neither \(CheckpointTensors.singleFile) nor \(SafeTensorsIndex.fileName) (pytorch_model.bin is not supported)"
            case .shard(let shard): "\(repo): shard \(shard) named by \(SafeTensorsIndex.fileName) is missing"
            }
        case .timedOut(let method, let url, let timeout):
            "\(method) \(url) timed out: nothing arrived for \(Self.seconds(timeout.seconds)) (\(timeout.variable) sets the limit)"
        case .requestFailed(let method, let url, let reason?): "\(method) \(url) failed: \(reason)"
        case .requestFailed(let method, let url, nil): "\(method) \(url) got no HTTP response"
        case .sizeMismatch(let file, _, let size, let expected, let announced):
            announced
                ? "the server sends \(size) bytes for \(file), but the Hub's metadata (X-Linked-Size/Content-Length) says \(expected); nothing was written"
                : "\(file) arrived with \(size) bytes, expected \(expected)\(size < expected ? "; run again to resume" : "; the download was discarded")"
        case .checksumMismatch(let file, _, let sha256, let expected):
            "\(file) is corrupt: sha256 \(sha256) does not match the Hub's \(expected); the download was discarded"
        case .downloadInterrupted(let file, _, let cause):
            "downloading \(file): \(cause.message); what arrived is kept in the .incomplete file for the next run to resume"
        case .downloadWriteFailed(let file, _, let reason):
            "downloading \(file): cannot write (\(reason)); what arrived is kept in the .incomplete file for the next run to resume"
        case .lockFailed(_, let reason): "cannot lock (\(reason))"
        }
    }

    private static func seconds(_ value: TimeInterval) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
