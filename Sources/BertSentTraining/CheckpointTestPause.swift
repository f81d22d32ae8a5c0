import Foundation

/// A pause point inside checkpoint writes, for tests that kill a run there or fill its disk there.
/// `BERTSENT_TEST_PAUSE=FOLDER/PHASE:FILE` (e.g. `checkpoint-6/optimizer:/tmp/paused`): on reaching
/// `PHASE` while writing `FOLDER`, the process creates `FILE` holding the point's name and waits until
/// `FILE` is removed. Unset, it costs one dictionary lookup per phase.
enum CheckpointTestPause {
    /// The phases of writing a checkpoint folder, in order.
    enum Phase: String {
        /// `model.safetensors` and `config.json` are written, in the folder's temporary name.
        case model
        /// The optimizer moments are written too.
        case optimizer
        /// `trainer_state.json` is written and every file flushed; the folder is not yet renamed.
        case state
        /// The folder is in place under its final name.
        case renamed
    }

    static func reached(_ phase: Phase, writing folder: URL) {
        guard let setting = ProcessInfo.processInfo.environment["BERTSENT_TEST_PAUSE"],
            let colon = setting.firstIndex(of: ":"),
            setting[..<colon] == "\(folder.lastPathComponent)/\(phase.rawValue)"
        else { return }
        let file = String(setting[setting.index(after: colon)...])
        _ = FileManager.default.createFile(atPath: file, contents: Data(setting[..<colon].utf8))
        while FileManager.default.fileExists(atPath: file) { usleep(10_000) }
    }
}
