import BertSentCore
import BertSentFormats
import BertSentModel
import BertSentText
import Foundation

/// A training checkpoint folder in Hugging Face layout — `model.safetensors` with
/// `BertForSequenceClassification` keys, `config.json`, the tokenizer files — plus what resuming needs:
/// `optimizer.safetensors` (Adam moments named `<parameter>.exp_avg` / `.exp_avg_sq`) and
/// `trainer_state.json`. Folders are written under a temporary name and renamed into place, so a
/// crash never leaves a half-written checkpoint.
enum TrainingCheckpoint {
    static let optimizerFile = "optimizer.safetensors"

    static func save(
        model: BertModel, tokenizer: BertTokenizer, optimizer: Optimizer?, state: TrainerState, to directory: URL
    ) throws {
        let fm = FileManager.default
        let partial = directory.deletingLastPathComponent().appendingPathComponent(
            ".\(directory.lastPathComponent).partial")
        try? fm.removeItem(at: partial)
        try model.save(to: partial)
        try tokenizer.save(to: partial)
        if let optimizer {
            try saveOptimizer(optimizer, layout: model.layout, to: partial.appendingPathComponent(optimizerFile))
        }
        try state.write(to: partial)
        try replaceDirectory(directory, with: partial)
    }

    /// Moves `partial` to `directory`, replacing what was there only once the new folder is complete.
    static func replaceDirectory(_ directory: URL, with partial: URL) throws {
        let fm = FileManager.default
        let old = directory.deletingLastPathComponent().appendingPathComponent(".\(directory.lastPathComponent).old")
        do {
            try? fm.removeItem(at: old)
            if fm.fileExists(atPath: directory.path) { try fm.moveItem(at: directory, to: old) }
            try fm.moveItem(at: partial, to: directory)
            try? fm.removeItem(at: old)
        } catch {
            throw FileError.unwritable(path: directory.path, what: "the checkpoint", reason: FileError.reason(error))
        }
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
