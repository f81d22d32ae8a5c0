import BertSentCore
import Foundation

/// Labelled reviews, such as IMDB's 50,000 or a generated set, ready to split and train on.
public struct ReviewDataset: Sendable {
    /// The examples in file order (or shuffled, after a split).
    public var examples: [LabeledText] {
        didSet { labels = Self.distinctLabels(of: examples) }
    }
    /// The file the examples came from, for messages.
    public var source: String?
    /// The column the labels came from, for messages.
    public var labelColumn: String?
    /// Whether the texts were cleaned (`TextCleaner`) when read: a model trained on them records it, so
    /// its predictions clean texts alike.
    public var textsCleaned: Bool
    /// The distinct labels (examples without one aside), sorted numerically when all are integers ("2" before "10"), otherwise
    /// lexicographically ("negative" before "positive"): the class order a new model's head uses.
    public private(set) var labels: [String]

    /// A dataset of `examples`, with where they came from and whether their texts were cleaned.
    public init(examples: [LabeledText], source: String? = nil, labelColumn: String? = nil, textsCleaned: Bool = false)
    {
        self.examples = examples
        self.textsCleaned = textsCleaned
        self.source = source
        self.labelColumn = labelColumn
        self.labels = Self.distinctLabels(of: examples)
    }

    /// The number of examples.
    public var count: Int { examples.count }
    /// The examples' texts, in order: a tokenizer's or predictor's input.
    public var texts: [String] { examples.map(\.text) }

    /// How many examples each label has, in `labels` order.
    public var labelCounts: [(label: String, count: Int)] {
        var counts: [String: Int] = [:]
        for example in examples { counts[example.label, default: 0] += 1 }
        return labels.map { ($0, counts[$0]!) }
    }

    /// Each example's class index in `classNames` (a model's `id2label`); `unlabeled` for an example without
    /// a label, when given.
    /// - Throws: `DatasetError.unknownLabel` naming the file and line of the first label that is not a class.
    public func labelIndices(for classNames: [String], unlabeled: Int? = nil) throws -> [Int] {
        let index = Dictionary(classNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return try examples.map { example in
            if !example.isLabeled, let unlabeled { return unlabeled }
            guard let classIndex = index[example.label] else {
                throw DatasetError.unknownLabel(
                    path: source, line: example.line, column: labelColumn, label: example.label, classes: classNames)
            }
            return classIndex
        }
    }

    /// How many examples have no label.
    public var unlabeledCount: Int { examples.count { !$0.isLabeled } }

    private static func distinctLabels(of examples: [LabeledText]) -> [String] {
        let distinct = Set(examples.lazy.filter(\.isLabeled).map(\.label))
        let numbers = distinct.compactMap { label in Int(label).map { (label, $0) } }
        if numbers.count == distinct.count {
            return numbers.sorted { $0.1 < $1.1 }.map(\.0)
        }
        return distinct.sorted()
    }
}
