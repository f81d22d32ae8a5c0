import BertSentCore
import BertSentText

/// How long a dataset's texts are in tokens, to choose `--max-length` (256 by default) from the data.
/// Lengths count the `[CLS]` and `[SEP]` the model sees.
public struct TokenLengthStatistics: Sendable, Codable, Equatable {
    /// The `--max-length` values to choose from: BERT's 512 and the usual fractions of it.
    public static let candidateMaxLengths = [64, 128, 256, 384, 512]
    /// The share of texts the recommended `--max-length` must keep whole.
    public static let coverageTarget = 0.95
    /// The lengths whose truncation is reported.
    public static let reportedMaxLengths = [128, 256, 512]

    /// Texts longer than `maxLength` tokens.
    public struct Truncation: Sendable, Codable, Equatable {
        /// The token limit the texts were measured against.
        public var maxLength: Int
        /// How many texts are longer, and what share of all texts that is.
        public var truncated: Int
        /// `truncated` as a share of all texts, from 0 to 1.
        public var share: Double
    }

    /// Counts of texts per length bin: bin i holds lengths in `[i·binWidth, (i+1)·binWidth)`, and
    /// `overflow` those at or past `upperBound`, the end of the last bin.
    public struct Histogram: Sendable, Codable, Equatable {
        /// The number of lengths each bin spans.
        public var binWidth: Int
        /// Texts per bin, from length 0 up.
        public var counts: [Int]
        /// Texts at or past `upperBound`.
        public var overflow: Int
        /// The end of the last bin, where `overflow` starts.
        public var upperBound: Int { binWidth * counts.count }
    }

    /// Texts measured, and their mean length.
    public var count: Int
    /// The mean length.
    public var mean: Double
    /// Percentiles interpolate linearly between the two nearest lengths, as numpy's do.
    public var median: Double
    /// The 90th percentile length.
    public var p90: Double
    /// The 95th percentile length.
    public var p95: Double
    /// The 99th percentile length.
    public var p99: Double
    /// The shortest text's length.
    public var min: Int
    /// The longest text's length.
    public var max: Int
    /// Texts cut at each of `reportedMaxLengths`.
    public var truncation: [Truncation]
    /// The smallest of `candidateMaxLengths` that keeps at least `coverageTarget` of the texts whole;
    /// 512 when none does.
    public var recommendedMaxLength: Int
    /// The share of texts `recommendedMaxLength` keeps whole.
    public var recommendedCoverage: Double
    /// Texts per length bin, for `histogramSVG`.
    public var histogram: Histogram

    /// Statistics of the given token counts.
    /// - Throws: `DatasetError.noTexts` when `lengths` is empty.
    public init(lengths: [Int]) throws {
        guard !lengths.isEmpty else { throw DatasetError.noTexts }
        let sorted = lengths.sorted()
        let n = sorted.count
        func percentile(_ q: Double) -> Double {
            let position = q * Double(n - 1)
            let below = Int(position.rounded(.down))
            let above = Swift.min(below + 1, n - 1)
            return Double(sorted[below]) + Double(sorted[above] - sorted[below]) * (position - Double(below))
        }
        /// Texts of at most `length` tokens, found by binary search in `sorted`.
        func covered(by length: Int) -> Int {
            var (low, high) = (0, n)
            while low < high {
                let middle = (low + high) / 2
                if sorted[middle] <= length { low = middle + 1 } else { high = middle }
            }
            return low
        }
        count = n
        mean = Double(sorted.reduce(0, +)) / Double(n)
        median = percentile(0.5)
        p90 = percentile(0.9)
        p95 = percentile(0.95)
        p99 = percentile(0.99)
        min = sorted[0]
        max = sorted[n - 1]
        truncation = Self.reportedMaxLengths.map { length in
            let truncated = n - covered(by: length)
            return Truncation(maxLength: length, truncated: truncated, share: Double(truncated) / Double(n))
        }
        let target = Int((Self.coverageTarget * Double(n)).rounded(.up))
        recommendedMaxLength =
            Self.candidateMaxLengths.first { covered(by: $0) >= target } ?? Self.candidateMaxLengths.last!
        recommendedCoverage = Double(covered(by: recommendedMaxLength)) / Double(n)
        histogram = Self.histogram(of: sorted, upTo: Swift.max(p99, Double(recommendedMaxLength)))
    }

    /// Measures each text of `dataset` with `tokenizer`, without truncating.
    /// - Throws: `DatasetError.noTexts` when the dataset is empty.
    public init(dataset: ReviewDataset, tokenizer: BertTokenizer) throws {
        var lengths: [Int] = []
        lengths.reserveCapacity(dataset.count)
        // Slices bound the memory of the encodings' token strings, which would reach gigabytes for
        // all of IMDB at once.
        let slice = 2048
        for start in stride(from: 0, to: dataset.count, by: slice) {
            let texts = dataset.examples[start..<Swift.min(start + slice, dataset.count)].map(\.text)
            let encodings = try tokenizer.encodeBatch(
                texts, maxLength: nil, truncation: .doNotTruncate, padding: .doNotPad)
            lengths += encodings.map(\.count)
        }
        try self.init(lengths: lengths)
    }

    /// 16 to 40 bins of a round width (1, 2 or 5 times a power of ten) up to `limit`, which keeps a
    /// long tail such as IMDB's (a few reviews past 2,000 tokens) from squeezing the bulk into a
    /// few bars; the tail goes to `overflow`.
    private static func histogram(of sorted: [Int], upTo limit: Double) -> Histogram {
        let upper = Swift.min(Double(sorted.last! + 1), limit * 1.05)
        let width = Swift.max(1, roundStep(upper / 40))
        let binCount = Swift.max(1, Int((upper / Double(width)).rounded(.up)))
        var counts = [Int](repeating: 0, count: binCount)
        var overflow = 0
        for length in sorted {
            let bin = length / width
            if bin < binCount { counts[bin] += 1 } else { overflow += 1 }
        }
        return Histogram(binWidth: width, counts: counts, overflow: overflow)
    }

    /// The smallest of 1, 2 or 5 times a power of ten at or above `value`.
    private static func roundStep(_ value: Double) -> Int {
        var magnitude = 1
        while true {
            for factor in [1, 2, 5] where Double(factor * magnitude) >= value { return factor * magnitude }
            magnitude *= 10
        }
    }
}
