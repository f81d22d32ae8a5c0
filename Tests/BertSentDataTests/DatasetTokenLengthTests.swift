import BertSent
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Percentiles as numpy computes them, truncation shares, the recommended max length and the chart.
struct DatasetTokenLengthTests {
    @Test func percentilesInterpolateLikeNumpy() throws {
        // numpy.percentile([3, 10, 4, 8, 100, 6], [50, 90, 95, 99]) = 7.0, 55.0, 77.5, 95.5
        let s = try TokenLengthStatistics(lengths: [3, 10, 4, 8, 100, 6])
        #expect(s.count == 6)
        #expect(s.mean == 131.0 / 6)
        #expect(s.median == 7)
        #expect(abs(s.p90 - 55) < 1e-9)
        #expect(abs(s.p95 - 77.5) < 1e-9)
        #expect(abs(s.p99 - 95.5) < 1e-9)
        #expect(s.min == 3 && s.max == 100)
    }

    @Test func truncationCountsTextsLongerThanEachLength() throws {
        let lengths = [100, 128, 129, 256, 300, 512, 513, 1000]
        let s = try TokenLengthStatistics(lengths: lengths)
        #expect(s.truncation.map(\.maxLength) == [128, 256, 512])
        #expect(s.truncation.map(\.truncated) == [6, 4, 2])
        #expect(s.truncation.map(\.share) == [0.75, 0.5, 0.25])
    }

    @Test func recommendsTheSmallestLengthKeeping95PercentWhole() throws {
        // 95 of 100 at most 128 tokens: 128 keeps exactly 95%.
        let s = try TokenLengthStatistics(lengths: Array(repeating: 100, count: 95) + Array(repeating: 200, count: 5))
        #expect(s.recommendedMaxLength == 128)
        #expect(s.recommendedCoverage == 0.95)
        // 94 of 100: 128 is not enough, 256 keeps all.
        #expect(
            try TokenLengthStatistics(lengths: Array(repeating: 100, count: 94) + Array(repeating: 200, count: 6))
                .recommendedMaxLength == 256)
        #expect(try TokenLengthStatistics(lengths: [10, 64, 30]).recommendedMaxLength == 64)
        // When nothing reaches 95%, BERT's limit of 512.
        let long = try TokenLengthStatistics(lengths: Array(repeating: 600, count: 10) + [20])
        #expect(long.recommendedMaxLength == 512)
        #expect(abs(long.recommendedCoverage - 1.0 / 11) < 1e-12)
    }

    @Test func histogramCountsEveryTextOnce() throws {
        let lengths = (0..<1000).map { 20 + ($0 * 37) % 700 } + [3000]
        let s = try TokenLengthStatistics(lengths: lengths)
        #expect(s.histogram.counts.reduce(0, +) + s.histogram.overflow == lengths.count)
        #expect(s.histogram.overflow >= 1)
        #expect((16...40).contains(s.histogram.counts.count))
        // A round width: 1, 2 or 5 followed by zeros.
        #expect(
            ["1", "2", "5"].contains(String(s.histogram.binWidth).prefix(1))
                && String(s.histogram.binWidth).dropFirst().allSatisfy { $0 == "0" })
    }

    @Test func emptyInputIsAnError() {
        #expect(throws: DatasetError.noTexts) { try TokenLengthStatistics(lengths: []) }
    }

    @Test func measuresADatasetWithSpecialTokensAndWithoutTruncation() throws {
        let tokenizer = try BertTokenizer(vocabulary: [
            "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "good", "movie", "!",
        ])
        let long = Array(repeating: "good", count: 600).joined(separator: " ")
        let dataset = ReviewDataset(examples: [
            LabeledText(text: "good movie!", label: "positive"),
            LabeledText(text: "movie", label: "negative"),
            LabeledText(text: long, label: "positive"),
        ])
        let s = try TokenLengthStatistics(dataset: dataset, tokenizer: tokenizer)
        #expect(s.min == 3)
        #expect(s.max == 602)
        #expect(s.median == 5)
    }

    @Test func statisticsRoundTripThroughJSON() throws {
        let s = try TokenLengthStatistics(lengths: [5, 50, 500])
        let back = try JSONDecoder().decode(TokenLengthStatistics.self, from: JSONEncoder().encode(s))
        #expect(back == s)
    }

    @Test func histogramSVGIsWellFormedAndLabelled() throws {
        let s = try TokenLengthStatistics(lengths: (0..<500).map { 30 + $0 % 300 } + [2000])
        let svg = s.histogramSVG(title: "Token lengths of <imdb> & co")
        let document = try XMLDocument(data: Data(svg.utf8))
        #expect(document.rootElement()?.name == "svg")
        let texts = try document.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
        #expect(texts.contains("Token lengths of <imdb> & co"))
        #expect(texts.contains("Texts"))
        #expect(texts.contains("Tokens per text, [CLS] and [SEP] included"))
        #expect(texts.contains { $0.hasPrefix("recommended \(s.recommendedMaxLength)") })
        #expect(texts.contains("≥ \(s.histogram.upperBound)"))
        #expect(try document.nodes(forXPath: "//*[local-name()='rect']").count > 10)
    }
}
