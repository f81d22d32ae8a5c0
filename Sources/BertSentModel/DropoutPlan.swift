import BertSentCore
import BertSentFormats

/// Dropout for one training forward pass: the config's rates and one seed per text of the batch. Every
/// site (embeddings, each layer's attention probabilities and outputs, the classifier input) draws each
/// text's mask from (its seed, site), and the backward pass regenerates the same masks. A text's masks do
/// not depend on the rest of its batch, so the same texts give the same masks however they are batched.
package struct DropoutPlan: Sendable, Equatable {
    package var hidden: Double
    package var attention: Double
    package var classifier: Double
    /// Whether the attention output (after its dense layer) has a dropout site: BERT's has, DistilBERT's not.
    package var attentionOutput: Bool
    /// One seed per text, in batch order.
    package var seeds: [UInt64]

    /// The config's rates (hidden_dropout_prob, attention_probs_dropout_prob, classifier_dropout, or
    /// DistilBERT's dropout, attention_dropout, seq_classif_dropout), or `rate` at every site when given.
    package init(config: BertConfig, seeds: [UInt64], rate: Double? = nil) {
        hidden = rate ?? config.hiddenDropoutProb
        attention = rate ?? config.attentionProbsDropoutProb
        classifier = rate ?? config.effectiveClassifierDropout
        attentionOutput = config.architecture == .bert
        self.seeds = seeds
    }

    enum Site {
        case embeddings
        case attentionProbabilities(Int)
        case attentionOutput(Int)
        case output(Int)
        case classifier

        var stream: UInt64 {
            switch self {
            case .embeddings: 0
            case .attentionProbabilities(let l): UInt64(3 * l + 1)
            case .attentionOutput(let l): UInt64(3 * l + 2)
            case .output(let l): UInt64(3 * l + 3)
            case .classifier: 1 << 32
            }
        }
    }

    /// The texts' masks for `site`, or nil where its rate is 0.
    func mask(_ site: Site) -> SampleDropout? {
        let p: Double
        switch site {
        case .embeddings, .output: p = hidden
        case .attentionOutput: p = attentionOutput ? hidden : 0
        case .attentionProbabilities: p = attention
        case .classifier: p = classifier
        }
        return p > 0 ? SampleDropout(probability: p, stream: site.stream, seeds: seeds) : nil
    }
}
