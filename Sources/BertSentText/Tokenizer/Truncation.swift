import BertSentCore

extension TruncationStrategy {
    /// Shortens `first` and `second` so that, with `specialCount` special tokens, they fit in `maxLength`,
    /// each losing tokens from where `side` says (`headTokens`: the head a `headTail` cut keeps).
    ///
    /// `longestFirst` gives the same result as `transformers` removing one token at a time from the longer
    /// sequence (from the second one on ties): when both are long the first keeps ⌈budget/2⌉ tokens.
    func truncate(
        _ first: inout [Int32], _ second: inout [Int32]?, maxLength: Int, specialCount: Int,
        side: TruncationSide = .head, headTokens: Int? = nil
    ) throws {
        let budget = maxLength - specialCount
        let excess = first.count + (second?.count ?? 0) - budget
        switch (self, second) {
        case (.doNotTruncate, _):
            return
        case _ where budget < 0:
            throw TokenizerError.maxLengthTooSmall(maxLength: maxLength, specialTokens: specialCount)
        case _ where excess <= 0:
            return
        case (.longestFirst, nil), (.onlyFirst, _):
            guard excess <= first.count else {
                throw TokenizerError.cannotTruncate(
                    maxLength: maxLength, strategy: self, available: first.count, excess: excess)
            }
            side.keep(&first, count: first.count - excess, head: headTokens)
        case (.longestFirst, var pair?):
            let half = (budget + 1) / 2
            let keepFirst = first.count > pair.count ? max(budget - pair.count, half) : min(first.count, half)
            side.keep(&first, count: keepFirst, head: headTokens)
            side.keep(&pair, count: budget - keepFirst, head: headTokens)
            second = pair
        case (.onlySecond, var pair):
            guard let count = pair?.count, excess <= count else {
                throw TokenizerError.cannotTruncate(
                    maxLength: maxLength, strategy: .onlySecond, available: pair?.count ?? 0, excess: excess)
            }
            side.keep(&pair!, count: count - excess, head: headTokens)
            second = pair
        }
    }
}
