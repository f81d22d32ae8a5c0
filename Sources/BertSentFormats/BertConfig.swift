import BertSentCore
import Foundation

/// How the classifier turns its logits into class probabilities.
public enum ClassifierHead: String, Sendable, Codable, CaseIterable {
    /// One logit per class, softmax and cross-entropy (transformers' single-label default).
    case softmax
    /// One logit, sigmoid and binary cross-entropy for two classes (torch's `BCELoss` of the sigmoid).
    case sigmoid
}

/// A BERT-family model's `config.json` (`BertConfig`, or `DistilBertConfig` under its own field names), with
/// transformers' defaults for absent fields.
public struct BertConfig: Sendable, Equatable {
    /// BERT or DistilBERT (`model_type`): which names, embeddings and head the checkpoint has.
    public var architecture: ModelArchitecture = .bert
    /// `vocab_size`: tokens in the vocabulary.
    public var vocabSize = 30522
    /// `hidden_size`: the width of each token's hidden state.
    public var hiddenSize = 768
    /// `num_hidden_layers`: encoder layers.
    public var numHiddenLayers = 12
    /// `num_attention_heads`: attention heads per layer.
    public var numAttentionHeads = 12
    /// `intermediate_size`: the width of each layer's feed-forward inner layer.
    public var intermediateSize = 3072
    /// `hidden_act`: the feed-forward activation; bertsent runs only `gelu`.
    public var hiddenAct = "gelu"
    /// `hidden_dropout_prob`: dropout on the embeddings and each layer's outputs while training.
    public var hiddenDropoutProb = 0.1
    /// `attention_probs_dropout_prob`: dropout on the attention probabilities while training.
    public var attentionProbsDropoutProb = 0.1
    /// Dropout before the classifier; transformers uses `hidden_dropout_prob` when absent.
    public var classifierDropout: Double?
    /// `max_position_embeddings`: the longest input, in tokens, the model has positions for.
    public var maxPositionEmbeddings = 512
    /// `type_vocab_size`: token types (segments) the model knows, 2 for sentence pairs; 0 for DistilBERT,
    /// which has no token-type embeddings and ignores the ids.
    public var typeVocabSize = 2
    /// `initializer_range`: the standard deviation new weights are drawn with.
    public var initializerRange = 0.02
    /// `layer_norm_eps`: added to the variance in every LayerNorm.
    public var layerNormEps = 1e-12
    /// `pad_token_id`: the padding token, whose embedding a new model starts at 0.
    public var padTokenId = 0
    /// Class names by index; its size is the number of labels (transformers' default: LABEL_0, LABEL_1).
    public var id2label: [String] = ["LABEL_0", "LABEL_1"]
    /// "single_label_classification" (softmax + cross-entropy) or, with one label, a sigmoid head.
    public var problemType: String?
    /// For a 1-logit sigmoid head, the class the sigmoid's complement scores (`bertsent_negative_label`).
    public var negativeLabel: String?
    /// For a distilled student, the layers of the model it was made from (the teacher, or `--student-model`)
    /// that its layers started from (`bertsent_teacher_layers`).
    public var teacherLayers: [Int]?
    /// The JSON the config was read from, kept so that saving preserves fields bertsent does not use.
    var sourceJSON: Data?

    /// A config with transformers' defaults: bert-base's sizes and two labels.
    public init() {}

    /// The most labels a config may make from `num_labels` alone (without `id2label`).
    static let maxLabelCount = 1000

    /// The classifier's outputs: one per class, or one for a sigmoid head.
    public var numLabels: Int { id2label.count }

    /// The head the outputs imply: sigmoid for one logit, softmax otherwise.
    public var head: ClassifierHead { numLabels == 1 ? .sigmoid : .softmax }

    /// Sets the classes (by label index) and the head. A sigmoid head needs two classes: its logit
    /// scores the second, and the config records the first as `bertsent_negative_label`; its
    /// problem type is transformers' multi-label one, whose loss (BCE with logits) is the same.
    public mutating func setClasses(_ classes: [String], head: ClassifierHead) throws {
        guard Set(classes).count == classes.count, !classes.isEmpty else {
            throw FormatError.invalidClassNames(classes)
        }
        switch head {
        case .softmax:
            guard classes.count >= 2 else { throw FormatError.classCountUnfitForHead(classes, head: head) }
            id2label = classes
            negativeLabel = nil
            problemType = "single_label_classification"
        case .sigmoid:
            guard classes.count == 2 else { throw FormatError.classCountUnfitForHead(classes, head: head) }
            id2label = [classes[1]]
            negativeLabel = classes[0]
            problemType = "multi_label_classification"
        }
    }

    /// The classes predictions report, by probability index: `id2label`, or for a 1-logit sigmoid head
    /// the negative class followed by the class the sigmoid scores.
    public var classNames: [String] {
        numLabels == 1 ? [negativeLabel ?? "NOT_\(id2label[0])", id2label[0]] : id2label
    }
    /// The width of one attention head: `hidden_size` / `num_attention_heads`.
    public var headSize: Int { hiddenSize / numAttentionHeads }
    /// The dropout before the classifier: `classifier_dropout`, else `hidden_dropout_prob`.
    public var effectiveClassifierDropout: Double { classifierDropout ?? hiddenDropoutProb }
    /// Class indices by name, the inverse of `id2label` (a repeated name keeps its first index).
    public var label2id: [String: Int] {
        Dictionary(id2label.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Reads and validates `config.json`; errors name the file and the field.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FileError.unreadable(path: url.path, what: "the model config", reason: FileError.reason(error))
        }
        do { try self.init(json: data) } catch let error as FormatError { throw error.inFile(url.path) }
    }

    /// Parses config JSON, BERT's or DistilBERT's (by `model_type`, else `architectures`); unknown fields are
    /// kept for round-tripping.
    public init(json data: Data) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data), let fields = object as? [String: Any] else {
            throw FormatError.invalidConfig(file: nil, .notAnObject)
        }
        let reader = FieldReader(fields: fields)
        let architectures = fields["architectures"] as? [String] ?? []
        if try reader.string("model_type") == ModelArchitecture.distilbert.modelType
            || architectures.contains(where: { $0.hasPrefix("DistilBert") })
        {
            architecture = .distilbert
        }
        let names = FieldNames(architecture)
        if let v = try reader.int("vocab_size") { vocabSize = v }
        if let v = try reader.int(names.hiddenSize) { hiddenSize = v }
        numHiddenLayers = try reader.int(names.layers) ?? (architecture == .distilbert ? 6 : numHiddenLayers)
        if let v = try reader.int(names.heads) { numAttentionHeads = v }
        if let v = try reader.int(names.intermediateSize) { intermediateSize = v }
        if let v = try reader.string(names.activation) { hiddenAct = v }
        if let v = try reader.double(names.hiddenDropout) { hiddenDropoutProb = v }
        if let v = try reader.double(names.attentionDropout) { attentionProbsDropoutProb = v }
        classifierDropout = try reader.double(names.classifierDropout) ?? (architecture == .distilbert ? 0.2 : nil)
        if let v = try reader.int("max_position_embeddings") { maxPositionEmbeddings = v }
        if architecture == .distilbert {
            typeVocabSize = 0
            if try reader.bool("sinusoidal_pos_embds") == true {
                throw FormatError.invalidConfig(
                    file: nil,
                    .unsupportedValue(
                        field: "sinusoidal_pos_embds", value: "true",
                        supported: "false (learned position embeddings; fixed sinusoidal ones are not trained here)"))
            }
        } else {
            if let v = try reader.int("type_vocab_size") { typeVocabSize = v }
            if let v = try reader.double("layer_norm_eps") { layerNormEps = v }
        }
        if let v = try reader.double("initializer_range") { initializerRange = v }
        if let v = try reader.int("pad_token_id") { padTokenId = v }
        problemType = try reader.string("problem_type")
        negativeLabel = try reader.string("bertsent_negative_label")
        teacherLayers = try reader.intList("bertsent_teacher_layers")
        if let labels = try reader.labels() {
            id2label = labels
        } else if let count = try reader.int("num_labels") {
            // Each label is made here, so a huge count would exhaust memory before anything else checks it.
            guard (1...Self.maxLabelCount).contains(count) else {
                throw FormatError.invalidConfig(
                    file: nil,
                    .invalidValue(field: "num_labels", expected: "1 to \(Self.maxLabelCount)", found: "\(count)"))
            }
            id2label = (0..<count).map { "LABEL_\($0)" }
        }
        if let count = try reader.int("num_labels"), count != id2label.count {
            throw FormatError.invalidConfig(file: nil, .labelCountMismatch(numLabels: count, labels: id2label.count))
        }
        if let position = try reader.string("position_embedding_type"), position != "absolute" {
            throw FormatError.invalidConfig(
                file: nil, .unsupportedValue(field: "position_embedding_type", value: position, supported: "'absolute'")
            )
        }
        sourceJSON = data
        try validate()
    }

    /// Checks sizes and options bertsent can run; the message names the field.
    public func validate() throws {
        let names = FieldNames(architecture)
        let positive: [(String, Int)] =
            [
                ("vocab_size", vocabSize), (names.hiddenSize, hiddenSize), (names.layers, numHiddenLayers),
                (names.heads, numAttentionHeads), (names.intermediateSize, intermediateSize),
                ("max_position_embeddings", maxPositionEmbeddings),
            ] + (architecture == .bert ? [("type_vocab_size", typeVocabSize)] : [])
        for (name, value) in positive where value <= 0 {
            throw FormatError.invalidConfig(
                file: nil, .invalidValue(field: name, expected: "positive", found: "\(value)"))
        }
        if architecture == .distilbert, typeVocabSize != 0 {
            throw FormatError.invalidConfig(
                file: nil,
                .invalidValue(field: "type_vocab_size", expected: "0 for DistilBERT", found: "\(typeVocabSize)"))
        }
        guard hiddenSize % numAttentionHeads == 0 else {
            throw FormatError.invalidConfig(
                file: nil, .hiddenSizeNotDivisible(hiddenSize: hiddenSize, heads: numAttentionHeads))
        }
        guard hiddenAct == "gelu" else {
            throw FormatError.invalidConfig(
                file: nil,
                .unsupportedValue(
                    field: names.activation, value: hiddenAct, supported: "'gelu' (exact erf GELU, as BERT uses)"))
        }
        for (name, p) in [
            (names.hiddenDropout, hiddenDropoutProb), (names.attentionDropout, attentionProbsDropoutProb),
            (names.classifierDropout, classifierDropout ?? 0),
        ]
        where !(0..<1).contains(p) {
            throw FormatError.invalidConfig(file: nil, .invalidValue(field: name, expected: "in [0, 1)", found: "\(p)"))
        }
        guard layerNormEps > 0 else {
            throw FormatError.invalidConfig(
                file: nil, .invalidValue(field: "layer_norm_eps", expected: "positive", found: "\(layerNormEps)"))
        }
        guard !id2label.isEmpty else { throw FormatError.invalidConfig(file: nil, .noLabels) }
    }

    /// The config as `config.json` for the architecture's classifier (`BertForSequenceClassification` or
    /// `DistilBertForSequenceClassification`): the source's other fields kept, bertsent's own values and
    /// the label maps written over them, the other architecture's names of them dropped.
    public func jsonData() throws -> Data {
        var fields = (sourceJSON.flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any]) ?? [:]
        let names = FieldNames(architecture)
        var values: [String: Any] = [
            "architectures": [architecture.classifierClass], "model_type": architecture.modelType,
            "vocab_size": vocabSize, names.hiddenSize: hiddenSize, names.layers: numHiddenLayers,
            names.heads: numAttentionHeads, names.intermediateSize: intermediateSize, names.activation: hiddenAct,
            names.hiddenDropout: hiddenDropoutProb, names.attentionDropout: attentionProbsDropoutProb,
            // DistilBERT's config has no "absent" for it (its head would not build).
            names.classifierDropout: architecture == .distilbert
                ? effectiveClassifierDropout : classifierDropout as Any? ?? NSNull(),
            "max_position_embeddings": maxPositionEmbeddings,
            "initializer_range": initializerRange, "pad_token_id": padTokenId,
            "id2label": Dictionary(uniqueKeysWithValues: id2label.enumerated().map { (String($0.offset), $0.element) }),
            "label2id": Dictionary(
                id2label.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a }),
            "num_labels": numLabels,
            "problem_type": problemType as Any? ?? NSNull(),
            "bertsent_negative_label": negativeLabel as Any? ?? NSNull(),
            "bertsent_teacher_layers": teacherLayers as Any? ?? NSNull(),
        ]
        switch architecture {
        case .bert:
            values.merge([
                "type_vocab_size": typeVocabSize, "layer_norm_eps": layerNormEps, "position_embedding_type": "absolute",
            ]) { $1 }
        case .distilbert:
            values["sinusoidal_pos_embds"] = false
        }
        for other in ModelArchitecture.allCases where other != architecture {
            for name in FieldNames(other).all where !names.all.contains(name) { fields[name] = nil }
        }
        fields.merge(values) { _, new in new }
        fields["_name_or_path"] = nil
        return try JSONSerialization.data(
            withJSONObject: fields, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    public static func == (a: BertConfig, b: BertConfig) -> Bool {
        (try? a.jsonData()) == (try? b.jsonData())
    }
}

/// What each architecture calls the fields the two share (DistilBERT renamed most of them), and the
/// fields only it has.
private struct FieldNames {
    let hiddenSize, layers, heads, intermediateSize, activation: String
    let hiddenDropout, attentionDropout, classifierDropout: String
    let ownOnly: [String]

    init(_ architecture: ModelArchitecture) {
        switch architecture {
        case .bert:
            (hiddenSize, layers, heads, intermediateSize, activation) = (
                "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act"
            )
            (hiddenDropout, attentionDropout, classifierDropout) = (
                "hidden_dropout_prob", "attention_probs_dropout_prob", "classifier_dropout"
            )
            ownOnly = ["type_vocab_size", "layer_norm_eps", "position_embedding_type"]
        case .distilbert:
            (hiddenSize, layers, heads, intermediateSize, activation) = (
                "dim", "n_layers", "n_heads", "hidden_dim", "activation"
            )
            (hiddenDropout, attentionDropout, classifierDropout) = (
                "dropout", "attention_dropout", "seq_classif_dropout"
            )
            ownOnly = ["sinusoidal_pos_embds", "qa_dropout", "tie_weights_"]
        }
    }

    var all: [String] {
        [hiddenSize, layers, heads, intermediateSize, activation, hiddenDropout, attentionDropout, classifierDropout]
            + ownOnly
    }
}

/// Typed access to config.json fields, with errors that name the field and the type found.
private struct FieldReader {
    let fields: [String: Any]

    func int(_ name: String) throws -> Int? {
        guard let value = present(name) else { return nil }
        guard let number = value as? NSNumber, !isBool(number), let exact = Int(exactly: number.doubleValue) else {
            throw mismatch(name, "an integer", value)
        }
        return exact
    }

    func double(_ name: String) throws -> Double? {
        guard let value = present(name) else { return nil }
        guard let number = value as? NSNumber, !isBool(number) else { throw mismatch(name, "a number", value) }
        return number.doubleValue
    }

    func bool(_ name: String) throws -> Bool? {
        guard let value = present(name) else { return nil }
        guard let number = value as? NSNumber, isBool(number) else { throw mismatch(name, "true or false", value) }
        return number.boolValue
    }

    func intList(_ name: String) throws -> [Int]? {
        guard let value = present(name) else { return nil }
        guard let list = value as? [Any] else { throw mismatch(name, "a list of integers", value) }
        return try list.map { element in
            guard let number = element as? NSNumber, !isBool(number), let exact = Int(exactly: number.doubleValue)
            else { throw mismatch(name, "a list of integers", value) }
            return exact
        }
    }

    func string(_ name: String) throws -> String? {
        guard let value = present(name) else { return nil }
        guard let text = value as? String else { throw mismatch(name, "a string", value) }
        return text
    }

    /// `id2label` as a dense list: keys must be the integers 0..<n.
    func labels() throws -> [String]? {
        guard let value = present("id2label") else { return nil }
        guard let map = value as? [String: Any] else { throw mismatch("id2label", "an object of index → label", value) }
        var labels = [String?](repeating: nil, count: map.count)
        for (key, label) in map {
            guard let index = Int(key), labels.indices.contains(index) else {
                throw FormatError.invalidConfig(file: nil, .invalidLabelKey(key: key, count: map.count))
            }
            guard let name = label as? String else { throw mismatch("id2label.\(key)", "a string", label) }
            labels[index] = name
        }
        return labels.compactMap { $0 }
    }

    private func present(_ name: String) -> Any? {
        guard let value = fields[name], !(value is NSNull) else { return nil }
        return value
    }

    /// JSON booleans arrive as NSNumbers of ObjC type "c"; a config must not pass `true` as a size.
    private func isBool(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    private func mismatch(_ name: String, _ expected: String, _ value: Any) -> FormatError {
        .invalidConfig(
            file: nil,
            .invalidValue(
                field: name, expected: expected, found: "\(String(describing: value).prefix(60)) (\(type(of: value)))"))
    }
}
