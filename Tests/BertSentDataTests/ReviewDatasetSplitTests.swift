import BertSent
import Foundation
import Testing

/// Stratified splits keep each class's share, are disjoint, and depend only on the seed.
struct ReviewDatasetSplitTests {
    /// `counts[label]` examples of each label, texts numbered so they can be told apart.
    static func dataset(_ counts: [(String, Int)]) -> ReviewDataset {
        var examples: [LabeledText] = []
        for (label, count) in counts {
            examples += (0..<count).map {
                LabeledText(text: "\(label) \($0)", label: label, line: examples.count + $0 + 2)
            }
        }
        return ReviewDataset(examples: examples, source: "data.csv")
    }

    static func counts(_ dataset: ReviewDataset) -> [String: Int] {
        Dictionary(dataset.labelCounts.map { ($0.label, $0.count) }, uniquingKeysWith: +)
    }

    @Test func eightyTwentyOfTheSyntheticExperimentsBalanced3000() throws {
        let data = Self.dataset([("negative", 1500), ("positive", 1500)])
        let (train, test) = try data.stratifiedSplit(testFraction: 0.2, seed: 42)
        #expect(Self.counts(train) == ["negative": 1200, "positive": 1200])
        #expect(Self.counts(test) == ["negative": 300, "positive": 300])
        #expect(Set(train.texts).isDisjoint(with: test.texts))
        #expect(Set(train.texts + test.texts).count == 3000)
        #expect(train.source == "data.csv")
    }

    @Test func sameSeedSameSplitOtherSeedOtherSplit() throws {
        let data = Self.dataset([("negative", 60), ("positive", 40)])
        let a = try data.stratifiedSplit(seed: 7)
        let b = try data.stratifiedSplit(seed: 7)
        let c = try data.stratifiedSplit(seed: 8)
        #expect(a.train.examples == b.train.examples)
        #expect(a.test.examples == b.test.examples)
        #expect(a.test.examples != c.test.examples)
    }

    @Test func partsAreShuffledNotGroupedByClass() throws {
        let (train, _) = try Self.dataset([("negative", 500), ("positive", 500)]).stratifiedSplit(seed: 1)
        let firstHalf = train.examples.prefix(400).filter { $0.label == "positive" }.count
        #expect(firstHalf > 120 && firstHalf < 280)
    }

    @Test func unevenClassesKeepTheirShares() throws {
        let (train, test) = try Self.dataset([("negative", 700), ("positive", 300)]).stratifiedSplit(
            testFraction: 0.2, seed: 3)
        #expect(Self.counts(test) == ["negative": 140, "positive": 60])
        #expect(Self.counts(train) == ["negative": 560, "positive": 240])
    }

    @Test func largestRemainderRoundsTheShares() throws {
        // 10 test examples over 45/35/20: quotas 4.5, 3.5, 2.0 give floors 4, 3, 2 and the one left
        // goes to the first class on the tie of remainders.
        let data = Self.dataset([("a", 45), ("b", 35), ("c", 20)])
        let (train, test) = try data.stratifiedSplit(trainSize: 20, testSize: 10, seed: 5)
        #expect(Self.counts(test) == ["a": 5, "b": 3, "c": 2])
        #expect(Self.counts(train) == ["a": 9, "b": 7, "c": 4])
    }

    @Test func theIMDBRecipeDrawsAThousandEachFromFiftyThousand() throws {
        let data = Self.dataset([("negative", 25000), ("positive", 25000)])
        let (train, test) = try data.stratifiedSplit(trainSize: 1000, testSize: 1000, seed: 13)
        #expect(Self.counts(train) == ["negative": 500, "positive": 500])
        #expect(Self.counts(test) == ["negative": 500, "positive": 500])
        #expect(Set(train.texts).isDisjoint(with: test.texts))
    }

    @Test func classesTooSmallOrSizesTooLargeAreErrors() throws {
        let data = Self.dataset([("negative", 50), ("positive", 1)])
        let small = try #require(throws: DatasetError.self) { try data.stratifiedSplit(seed: 1) }
        #expect(small == .classTooSmall(path: "data.csv", label: "positive", count: 1, train: 41, test: 10))
        #expect(small.description.hasPrefix("data.csv: class 'positive' has 1 examples"))
        let large = try #require(throws: DatasetError.self) {
            try data.stratifiedSplit(trainSize: 40, testSize: 20, seed: 1)
        }
        #expect(large == .splitSizesOutOfRange(path: "data.csv", train: 40, test: 20, available: 51))
        #expect(large.description == "data.csv: cannot draw 40 train and 20 test examples from 51")
        for fraction in [0.0, 1.0, -0.5, .nan] {
            let error = try #require(throws: DatasetError.self) {
                try data.stratifiedSplit(testFraction: fraction, seed: 1)
            }
            if case .testFractionOutOfRange("data.csv", let got) = error {
                #expect(got == fraction || (got.isNaN && fraction.isNaN))
            } else {
                Issue.record("\(fraction): \(error)")
            }
        }
        #expect(throws: DatasetError.splitSizesOutOfRange(path: "data.csv", train: 0, test: 5, available: 51)) {
            try data.stratifiedSplit(trainSize: 0, testSize: 5, seed: 1)
        }
        #expect(
            DatasetError.splitSizesOutOfRange(path: "data.csv", train: 0, test: 5, available: 51).description
                == "data.csv: train and test sizes must be positive, got 0 and 5")
    }
}
