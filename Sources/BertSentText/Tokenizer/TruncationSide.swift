/// Which tokens of a text too long for the model are kept. Reviews often say what they think in their
/// last sentences: keeping the end, or the beginning and the end, can classify them better than keeping
/// the beginning (Sun et al. 2019, "How to Fine-Tune BERT for Text Classification": 128 + 382 tokens at
/// 512 on IMDB). Saved with the model in tokenizer_config.json, so predictions cut texts as training did.
public enum TruncationSide: String, Sendable, Codable, CaseIterable {
    /// The beginning (Hugging Face's `truncation_side` "right", its default): the end is cut.
    case head
    /// The end (`truncation_side` "left"): the beginning is cut.
    case tail
    /// The first tokens (`Options.truncationHeadTokens`, by default a quarter of those kept) and as many
    /// of the last as fit: the middle is cut. bertsent's own; transformers would keep the head.
    case headTail = "head_tail"

    /// `tokens` cut to `count`, keeping this side; `head` is the number kept from the start for
    /// `headTail` (nil: a quarter of `count`, rounded).
    func keep(_ tokens: inout [Int32], count: Int, head: Int?) {
        guard tokens.count > count else { return }
        switch self {
        case .head:
            tokens.removeLast(tokens.count - count)
        case .tail:
            tokens.removeFirst(tokens.count - count)
        case .headTail:
            let first = min(count, max(0, head ?? (count + 2) / 4))
            tokens.removeSubrange(first..<(tokens.count - (count - first)))
        }
    }
}
