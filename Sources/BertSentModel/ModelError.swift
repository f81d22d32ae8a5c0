import BertSentCore
import BertSentFormats

/// What loading a model or running it on a batch throws, naming the tensor, the shape or the token.
/// Problems in the files themselves are `FormatError`s, plain reads and writes `FileError`s.
public enum ModelError: BertSentError, Equatable {
    // MARK: loading

    /// The checkpoint in `folder` lacks `tensor` (under its name, its bare `BertModel` name and its legacy LayerNorm name).
    case missingTensor(folder: String, tensor: String)
    /// Tensor `tensor` in `file` has `shape`, where `config` (from config.json) implies `expected`.
    case shapeMismatch(file: String, tensor: String, shape: [Int], expected: [Int], config: BertConfig)
    /// A student was asked to start from `layers`, which are not all among the teacher's `teacherLayers`.
    case invalidStudentLayers([Int], teacherLayers: Int)

    // MARK: batches

    /// A batch was made of no texts.
    case emptyBatch
    /// Text `index` of a batch has no tokens.
    case emptyText(index: Int)
    /// Text `text` of a batch has `ids` ids but `typeIds` token type ids.
    case tokenTypeCountMismatch(text: Int, ids: Int, typeIds: Int)
    /// The batch's sequence length exceeds the model's `max_position_embeddings`.
    case sequenceTooLong(length: Int, maxPositionEmbeddings: Int)
    /// Token id `id` at `text`, `position` is outside the model's vocabulary of `vocabSize`.
    case tokenOutOfVocabulary(id: Int32, text: Int, position: Int, vocabSize: Int)
    /// Token type id `id` of text `text` is outside the model's `type_vocab_size`.
    case tokenTypeOutOfRange(id: Int32, text: Int, typeVocabSize: Int)
    /// A batch of `size` × `length` tokens does not fit activations made for `maxBatch` × `maxSequence`.
    case batchExceedsCapacity(size: Int, length: Int, maxBatch: Int, maxSequence: Int)

    // MARK: using the model's API

    /// A dropout plan was passed with inference activations.
    case dropoutNeedsTrainingActivations
    /// `lastHiddenState` was asked for after a forward pass that computed only the [CLS] rows.
    case lastHiddenStateNeedsAllPositions
    /// Weights converted to `precision` were passed to a forward pass with training activations.
    case packedWeightsInTraining(Precision)
    /// Weights converted to `precision` come from a model of another shape.
    case packedWeightsFromAnotherModel(Precision)
    /// fp32 was asked to be converted: it runs on the model's own weights.
    case nothingToConvert
    /// Activations were asked for in `precision`, which they do not run (`training` or inference).
    case unsupportedActivationsPrecision(Precision, training: Bool)

    public var category: ErrorCategory {
        switch self {
        case .missingTensor, .shapeMismatch, .invalidStudentLayers, .emptyBatch, .emptyText, .tokenTypeCountMismatch,
            .sequenceTooLong,
            .tokenOutOfVocabulary,
            .tokenTypeOutOfRange, .batchExceedsCapacity:
            .invalidInput
        case .dropoutNeedsTrainingActivations, .lastHiddenStateNeedsAllPositions, .packedWeightsInTraining,
            .packedWeightsFromAnotherModel, .nothingToConvert, .unsupportedActivationsPrecision:
            .internal
        }
    }

    public var description: String {
        switch self {
        case .missingTensor(let folder, let tensor):
            "\(folder): tensor '\(tensor)' (or its bare/legacy name) is missing from the checkpoint"
        case .shapeMismatch(let file, let tensor, let shape, let expected, let config):
            "\(file): tensor '\(tensor)' has shape \(shape), but config.json implies \(expected) (hidden_size \(config.hiddenSize), intermediate_size \(config.intermediateSize), vocab_size \(config.vocabSize), labels \(config.numLabels))"
        case .invalidStudentLayers(let layers, let teacherLayers):
            "a student takes 1 to \(teacherLayers) of the teacher's layers 0…\(teacherLayers - 1), not \(layers)"
        case .emptyBatch: "a batch needs at least one text"
        case .emptyText(let index): "text \(index) of the batch has no tokens"
        case .tokenTypeCountMismatch(let text, let ids, let typeIds):
            "text \(text) of the batch has \(ids) ids but \(typeIds) token type ids"
        case .sequenceTooLong(let length, let maxPositionEmbeddings):
            "sequence length \(length) exceeds the model's max_position_embeddings \(maxPositionEmbeddings)"
        case .tokenOutOfVocabulary(let id, let text, let position, let vocabSize):
            "token id \(id) at text \(text), position \(position) is outside the vocabulary (vocab_size \(vocabSize))"
        case .tokenTypeOutOfRange(let id, let text, let typeVocabSize):
            "token type id \(id) at text \(text) is outside type_vocab_size \(typeVocabSize)"
        case .batchExceedsCapacity(let size, let length, let maxBatch, let maxSequence):
            "batch of \(size)×\(length) exceeds the activations' capacity \(maxBatch)×\(maxSequence)"
        case .dropoutNeedsTrainingActivations: "dropout needs training activations"
        case .lastHiddenStateNeedsAllPositions: "the last hidden state needs forward(…, allPositions: true)"
        case .packedWeightsInTraining(let precision):
            "\(precision.rawValue) weights are for inference; training in bf16 takes activations with precision bf16"
        case .packedWeightsFromAnotherModel(let precision):
            "the \(precision.rawValue) weights were converted from a model of another shape"
        case .nothingToConvert: "fp32 runs on the model's own weights; nothing to convert"
        case .unsupportedActivationsPrecision(let precision, let training):
            training
                ? "training runs in fp32 or bf16, not \(precision.rawValue)"
                : "\(precision.rawValue) inference takes PackedEncoderWeights in forward, not \(precision.rawValue) activations"
        }
    }
}
