import BertSentCore
import BertSentFormats
import BertSentModel
import BertSentText
import Foundation

/// A training checkpoint folder in Hugging Face layout — `model.safetensors` with
/// `BertForSequenceClassification` keys, `config.json`, the tokenizer files — plus what resuming needs:
/// `optimizer.safetensors` (Adam moments named `<parameter>.exp_avg` / `.exp_avg_sq`) and
/// `trainer_state.json`, which records every other file's size and sha256.
///
/// A folder is written under a hidden temporary name (`.NAME.partial`), flushed to the disk and renamed
/// into place, so a crash or a full disk never leaves a half-written folder under a final name; the
/// space it needs is checked first, so a full disk is reported before anything is written.
enum TrainingCheckpoint {
    static let optimizerFile = "optimizer.safetensors"

    static func save(
        model: BertModel, tokenizer: BertTokenizer, optimizer: Optimizer?, state: TrainerState, to directory: URL
    ) throws {
        let fm = FileManager.default
        let partial = hidden(directory, "partial")
        try? fm.removeItem(at: partial)
        let needed = estimatedBytes(model: model, tokenizer: tokenizer, optimizer: optimizer != nil, state: state)
        let what = "the checkpoint \(directory.lastPathComponent)"
        do {
            try DiskSpace.require(needed, at: directory.deletingLastPathComponent(), what: what)
            try model.save(to: partial)
            try tokenizer.save(to: partial)
            CheckpointTestPause.reached(.model, writing: directory)
            if let optimizer {
                try saveOptimizer(optimizer, layout: model.layout, to: partial.appendingPathComponent(optimizerFile))
                CheckpointTestPause.reached(.optimizer, writing: directory)
            }
            var state = state
            state.checkpointFiles = try CheckpointFile.records(in: partial)
            try state.write(to: partial)
            try FileSync.flushFolder(partial)
            CheckpointTestPause.reached(.state, writing: directory)
            try replaceDirectory(directory, with: partial)
            CheckpointTestPause.reached(.renamed, writing: directory)
        } catch {
            try? fm.removeItem(at: partial)
            throw DiskSpace.noSpaceError(
                error, path: directory.path, what: what, needed: needed, folder: directory.deletingLastPathComponent())
                ?? error
        }
    }

    /// About how many bytes a checkpoint of `model` takes: its weights (and the optimizer's two moments
    /// per weight), the tokenizer's vocabulary twice (`vocab.txt`, `tokenizer.json`), the state and log.
    static func estimatedBytes(model: BertModel, tokenizer: BertTokenizer, optimizer: Bool, state: TrainerState)
        -> Int64
    {
        let weights = Int64(model.parameterCount) * 4 * (optimizer ? 3 : 1)
        return weights + Int64(tokenizer.vocabulary.count) * 48 + Int64(state.logHistory.count) * 512 + 1 << 16
    }

    /// Moves the complete folder `partial` to `directory`, replacing what was there only once the new
    /// folder is complete. The old folder waits under `.NAME.old` meanwhile; `recoverInterruptedWrites`
    /// puts it back if a crash comes between the two renames.
    static func replaceDirectory(_ directory: URL, with partial: URL) throws {
        let fm = FileManager.default
        let old = hidden(directory, "old")
        do {
            try? fm.removeItem(at: old)
            if fm.fileExists(atPath: directory.path) { try FileSync.rename(directory, to: old) }
            try FileSync.rename(partial, to: directory)
            try? fm.removeItem(at: old)
        } catch {
            throw FileError.unwritable(path: directory.path, what: "the checkpoint", reason: FileError.reason(error))
        }
    }

    /// Deletes a checkpoint folder: renamed aside first, so a crash while deleting leaves no partly
    /// deleted folder under a checkpoint's name.
    static func remove(_ directory: URL) {
        let aside = hidden(directory, "deleting")
        guard (try? FileSync.rename(directory, to: aside)) != nil else { return }
        try? FileManager.default.removeItem(at: aside)
    }

    /// Tidies what an earlier process cut short in `runFolder`: folders half-written or half-deleted are
    /// removed, and a folder replaced mid-swap (`best/`) is put back from `.NAME.old`.
    static func recoverInterruptedWrites(in runFolder: URL) {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: runFolder.path)) ?? [] where name.hasPrefix(".") {
            let url = runFolder.appendingPathComponent(name)
            if name.hasSuffix(".partial") || name.hasSuffix(".deleting") {
                try? fm.removeItem(at: url)
            } else if name.hasSuffix(".old") {
                let original = runFolder.appendingPathComponent(String(name.dropFirst().dropLast(".old".count)))
                if fm.fileExists(atPath: original.path) {
                    try? fm.removeItem(at: url)
                } else {
                    try? FileSync.rename(url, to: original)
                }
            }
        }
    }

    /// Steps of the `checkpoint-STEP` folders in `runFolder`, ascending.
    static func steps(in runFolder: URL) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runFolder.path)) ?? []
        return names.compactMap { $0.hasPrefix("checkpoint-") ? Int($0.dropFirst("checkpoint-".count)) : nil }.sorted()
    }

    /// `.NAME.suffix` beside `directory`: hidden, so nothing takes it for a checkpoint.
    static func hidden(_ directory: URL, _ suffix: String) -> URL {
        directory.deletingLastPathComponent().appendingPathComponent(".\(directory.lastPathComponent).\(suffix)")
    }

    static func saveOptimizer(_ optimizer: Optimizer, layout: ParameterLayout, to url: URL) throws {
        var tensors: [SafeTensorsWriter.Tensor] = []
        for spec in layout.tensors {
            tensors.append(
                .init(
                    name: spec.name + ".exp_avg", shape: spec.shape,
                    values: UnsafeBufferPointer(optimizer.m[spec.range])))
            tensors.append(
                .init(
                    name: spec.name + ".exp_avg_sq", shape: spec.shape,
                    values: UnsafeBufferPointer(optimizer.v[spec.range])))
        }
        try SafeTensorsWriter.write(
            tensors, metadata: ["step": String(optimizer.step), "optimizer": optimizer.kind.rawValue], to: url)
    }

    static func loadOptimizer(into optimizer: Optimizer, layout: ParameterLayout, from directory: URL) throws {
        let url = directory.appendingPathComponent(optimizerFile)
        let file = try SafeTensorsFile(url: url)
        guard let step = file.metadata["step"].flatMap(Int.init), step >= 0 else {
            throw TrainingError.invalidOptimizerState(path: url.path)
        }
        for spec in layout.tensors {
            try file.readFloats(spec.name + ".exp_avg", into: optimizer.m[spec.range])
            try file.readFloats(spec.name + ".exp_avg_sq", into: optimizer.v[spec.range])
        }
        optimizer.step = step
    }
}
