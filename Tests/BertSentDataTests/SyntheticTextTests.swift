import BertSent
import Foundation
import Testing

/// The synthetic review set: balanced, deterministic, varied, and a real sentiment task.
struct SyntheticTextTests {
    static let output = Result { try SyntheticReviews().generate() }

    @Test func threeThousandExactlyBalancedWithoutDuplicates() throws {
        let output = try Self.output.get()
        #expect(output.dataset.count == 3000)
        #expect(output.dataset.labels == ["negative", "positive"])
        #expect(output.dataset.labelCounts.map(\.count) == [1500, 1500])
        #expect(output.duplicatesKept == 0)
        #expect(Set(output.dataset.texts).count == 3000)
        #expect(output.dataset.examples.allSatisfy { $0.line == 0 })
    }

    @Test func sameSeedSameReviewsOtherSeedOthers() throws {
        let a = try SyntheticReviews(count: 200, seed: 9).generate().dataset.examples
        let b = try SyntheticReviews(count: 200, seed: 9).generate().dataset.examples
        let c = try SyntheticReviews(count: 200, seed: 10).generate().dataset.examples
        #expect(a == b)
        #expect(a != c)
    }

    @Test func classesAreShuffledTogether() throws {
        let labels = try Self.output.get().dataset.examples.prefix(1000).map(\.label)
        let positives = labels.filter { $0 == "positive" }.count
        #expect(positives > 400 && positives < 600)
    }

    @Test func reviewsAreWellFormedSentences() throws {
        for text in try Self.output.get().dataset.texts {
            #expect(!text.contains("{") && !text.contains("}") && !text.contains("|"), "\(text)")
            #expect(text.first!.isUppercase || text.first!.isNumber, "\(text)")
            #expect(".!?".contains(text.last!), "\(text)")
            #expect(!text.contains("  "), "\(text)")
            #expect(!text.contains(" a a") && !text.contains(" a e") && !text.contains(" a o"), "\(text)")
            // Aspects carry their article: a template writing "the {aspect}" would give "the the plot".
            #expect(!text.lowercased().contains(/\b(the|an?) ([a-z]+ )?the\b/), "\(text)")
            let sentences = text.split(whereSeparator: { ".!?".contains($0) }).filter {
                !$0.trimmingCharacters(in: .whitespaces).isEmpty
            }
            #expect((1...4).contains(sentences.count), "\(text)")
        }
    }

    @Test func vocabularyIsRich() throws {
        let words = Set(
            try Self.output.get().dataset.texts.flatMap { $0.lowercased().split(whereSeparator: { !$0.isLetter }) })
        #expect(words.count > 500)
    }

    /// Both classes use the same subjects, templates and negations; sentiment words alone, which a
    /// negation can flip, tell them apart.
    @Test func classesShareVocabularyAndNegation() throws {
        let dataset = try Self.output.get().dataset
        func words(_ label: String) -> Set<Substring> {
            Set(
                dataset.examples.filter { $0.label == label }.flatMap {
                    $0.text.lowercased().split(whereSeparator: { !$0.isLetter })
                })
        }
        let (positive, negative) = (words("positive"), words("negative"))
        #expect(Double(positive.intersection(negative).count) / Double(positive.union(negative).count) > 0.6)
        let texts = { (label: String) in dataset.examples.filter { $0.label == label }.map(\.text) }
        #expect(texts("positive").contains { $0.contains("not boring at all") || $0.contains("not bad at all") })
        #expect(texts("negative").contains { $0.contains("not funny at all") || $0.contains("not good at all") })
        #expect(texts("negative").contains { $0.contains("not worth") })
        #expect(texts("positive").contains { $0.hasPrefix("Despite") || $0.contains(". Despite") })
        #expect(texts("negative").contains { $0.hasPrefix("Despite") || $0.contains(". Despite") })
        // Words that read as praise turn up in negative reviews, and the reverse.
        #expect(negative.contains("brilliant") && positive.contains("boring"))
    }

    @Test func tooFewReviewsIsAnError() throws {
        let error = try #require(throws: DatasetError.self) { try SyntheticReviews(count: 1).generate() }
        #expect(error == .tooFewReviews(requested: 1))
        #expect(error.description.contains("at least 2"))
        let odd = try SyntheticReviews(count: 5).generate().dataset
        #expect(odd.labelCounts.map(\.count) == [2, 3])
    }
}
