import BertSentCore
import BertSentFormats
import Foundation

/// A BERT-family encoder with its classification head (transformers' `BertForSequenceClassification`
/// or `DistilBertForSequenceClassification`): its config, and all its parameters in one buffer laid out
/// by `ParameterLayout`.
public final class BertModel {
    /// Its sizes, classes and head, as in `config.json`.
    public let config: BertConfig
    package let layout: ParameterLayout
    package let parameters: FloatBuffer
    /// Tensors the loaded checkpoint lacked, initialised from the seed (e.g. a new classification
    /// head): predictions are meaningless until the model is fine-tuned.
    public internal(set) var untrainedTensors: [String] = []

    /// A model with every parameter zero; load or initialise it next.
    public init(config: BertConfig) throws {
        try config.validate()
        self.config = config
        layout = ParameterLayout(config: config)
        parameters = try FloatBuffer(count: layout.count)
    }

    /// The parameter tensor named `name` (a key of the architecture's classifier checkpoint), or nil.
    public func tensor(named name: String) -> UnsafeMutableBufferPointer<Float>? {
        layout.spec(named: name).map { parameters[$0.range] }
    }

    /// Parameters counted as transformers counts them (no alignment padding).
    public var parameterCount: Int { layout.tensors.reduce(0) { $0 + $1.count } }

    /// Initialises `spec` as transformers' `_init_weights` does: Linear and Embedding weights from
    /// N(0, initializer_range), biases 0, LayerNorm weight 1 and bias 0, the padding row of the word
    /// embeddings 0.
    func initialize(_ spec: TensorSpec, using generator: inout SeededGenerator) {
        let values = parameters[spec.range]
        switch spec.role {
        case .normWeight: values.update(repeating: 1)
        case .normBias, .bias: values.update(repeating: 0)
        case .weight, .embedding:
            let std = Float(config.initializerRange)
            for i in values.indices { values[i] = generator.nextNormal() * std }
            if spec.offset == layout.wordEmbeddings, config.padTokenId < config.vocabSize {
                values[(config.padTokenId * config.hiddenSize)..<((config.padTokenId + 1) * config.hiddenSize)].update(
                    repeating: 0)
            }
        }
    }

    /// Initialises every parameter from `seed` (a model trained from scratch, or a test model).
    public func initializeRandomly(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        for spec in layout.tensors { initialize(spec, using: &generator) }
    }
}
