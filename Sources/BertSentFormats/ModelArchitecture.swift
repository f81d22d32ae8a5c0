/// The BERT-family classifiers bertsent runs: the same encoder arithmetic under different names and heads.
public enum ModelArchitecture: String, Sendable, Codable, CaseIterable {
    /// transformers' `BertForSequenceClassification`: word, position and token-type embeddings; a pooler
    /// (dense + tanh on [CLS]) before the classifier; dropout also after each attention output.
    case bert
    /// transformers' `DistilBertForSequenceClassification`: no token types; `pre_classifier` (dense + ReLU
    /// on [CLS]) before the classifier; no dropout after the attention output.
    case distilbert

    /// `model_type` in `config.json`.
    public var modelType: String { rawValue }

    /// The class `architectures` names in `config.json`.
    public var classifierClass: String {
        switch self {
        case .bert: "BertForSequenceClassification"
        case .distilbert: "DistilBertForSequenceClassification"
        }
    }

    /// The prefix of the encoder's keys in a classifier checkpoint (absent in a bare encoder's).
    public var encoderPrefix: String { rawValue + "." }

    /// The class `tokenizer_class` names in `tokenizer_config.json`.
    public var tokenizerClass: String {
        switch self {
        case .bert: "BertTokenizer"
        case .distilbert: "DistilBertTokenizer"
        }
    }
}
