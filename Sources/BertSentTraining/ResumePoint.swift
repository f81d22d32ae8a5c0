import BertSentCore
import Foundation

/// The checkpoint a resumed run continues from: the `checkpoint-STEP` folder given, once its files are
/// checked against what its `trainer_state.json` recorded; or, given a run's folder, its newest intact
/// checkpoint, with the newer ones refused and why (a run killed while writing leaves none half-written
/// under a final name, but a disk may still corrupt one).
public struct ResumePoint: Sendable {
    /// The checkpoint folder to continue from.
    public let checkpoint: URL
    /// Its saved state.
    public let state: TrainerState
    /// Why each newer checkpoint in the run folder was passed over; empty when a checkpoint was given.
    public let refused: [String]

    /// Resolves `url`, a checkpoint folder or a run folder holding `checkpoint-STEP` folders.
    public init(resolving url: URL) throws {
        let givenState = url.appendingPathComponent(TrainerState.fileName)
        if FileManager.default.fileExists(atPath: givenState.path) {
            (checkpoint, state, refused) = (url, try Self.verified(url), [])
            return
        }
        var refused: [String] = []
        for step in TrainingCheckpoint.steps(in: url).reversed() {
            let candidate = url.appendingPathComponent("checkpoint-\(step)")
            do {
                (checkpoint, state, self.refused) = (candidate, try Self.verified(candidate), refused)
                return
            } catch {
                refused.append("\(error)")
            }
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw FileError.unreadable(
                path: url.path, what: "the checkpoint or run folder to resume", reason: "No such file or directory")
        }
        guard isFolder.boolValue else { throw TrainingError.notACheckpoint(path: url.path) }
        throw TrainingError.noValidCheckpoint(path: url.path, refused: refused)
    }

    /// The state of the checkpoint `folder`, whose files are as the state recorded.
    private static func verified(_ folder: URL) throws -> TrainerState {
        let state = try TrainerState.read(from: folder)
        try state.checkpointFiles.map { try CheckpointFile.verify($0, in: folder) }
        return state
    }
}
