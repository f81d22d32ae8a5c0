import BertSentCore
import BertSentFormats
import Foundation

extension BertModel {
    /// Loads a Hugging Face model folder, BERT or DistilBERT: `config.json` and `model.safetensors` (or
    /// shards). The head (pooler or pre_classifier, and classifier) may be absent, as in a bare encoder's
    /// checkpoint: it is then initialised from the seed and reported in `untrainedTensors`, as
    /// transformers does.
    ///
    /// - Parameters:
    ///   - directory: the model folder.
    ///   - classes: class names by label index for a classifier to fine-tune; when the head they need
    ///     differs from the checkpoint's, it is initialised afresh (as `ignore_mismatched_sizes` would).
    ///     Nil keeps the config's labels and head.
    ///   - head: softmax over the classes, or a single sigmoid logit scoring the second of two classes.
    ///   - seed: seeds the initialisation of tensors the checkpoint lacks.
    public static func load(
        from directory: URL, classes: [String]? = nil, head: ClassifierHead = .softmax, seed: UInt64 = 42
    ) throws -> BertModel {
        var config = try BertConfig(contentsOf: directory.appendingPathComponent("config.json"))
        let original = config
        if let classes { try config.setClasses(classes, head: head) }
        let relabelled = config.id2label != original.id2label
        let tensors = try CheckpointTensors(directory: directory)
        let model = try BertModel(config: config)
        var generator = SeededGenerator(seed: seed)
        var untrained: [String] = []
        for spec in model.layout.tensors {
            let isHead = spec.part == .classifier
            guard let key = tensors.key(for: spec.name, encoderPrefix: config.architecture.encoderPrefix),
                !(isHead && relabelled), let file = tensors.file(for: key)
            else {
                guard spec.part == .classifier || spec.part == .pooler else {
                    throw ModelError.missingTensor(folder: directory.path, tensor: spec.name)
                }
                model.initialize(spec, using: &generator)
                untrained.append(spec.name)
                continue
            }
            let info = file.tensors[key]!
            guard info.shape == spec.shape else {
                throw ModelError.shapeMismatch(
                    file: file.url.path, tensor: key, shape: info.shape, expected: spec.shape, config: config)
            }
            try file.readFloats(key, into: model.parameters[spec.range])
        }
        model.untrainedTensors = untrained
        return model
    }

    /// Saves the model as a Hugging Face folder: `model.safetensors` with the keys of the architecture's
    /// classifier (`BertForSequenceClassification`, `DistilBertForSequenceClassification`) and `config.json`. Each file is written aside and renamed into place.
    public func save(to directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw FileError.unwritable(path: directory.path, what: "the folder", reason: FileError.reason(error))
        }
        let tensors = layout.tensors.map {
            SafeTensorsWriter.Tensor(name: $0.name, shape: $0.shape, values: UnsafeBufferPointer(parameters[$0.range]))
        }
        try SafeTensorsWriter.write(tensors, to: directory.appendingPathComponent(CheckpointTensors.singleFile))
        let configURL = directory.appendingPathComponent("config.json")
        do {
            try config.jsonData().write(to: configURL, options: .atomic)
        } catch {
            throw FileError.unwritable(path: configURL.path, what: "the file", reason: FileError.reason(error))
        }
    }
}
