import BertSentCore

/// Synthetic movie reviews for `bertsent generate`: positive and negative reviews written from shared templates
/// with a rich vocabulary, exactly balanced, the same for the same seed.
///
/// A review has one to four sentences: at least one carrying its sentiment ("This movie is
/// absolutely amazing!", "Despite how dull the dialogue was, …", "It is not worth it."), sometimes
/// after a neutral opener ("I watched this film last night.") or before a verdict ("Skip this one.").
public struct SyntheticReviews: Sendable {
    /// The labels of the two classes.
    public static let positiveLabel = "positive"
    /// The label of the negative reviews.
    public static let negativeLabel = "negative"

    /// Reviews to write; half are negative (the odd one out, if any, is positive).
    public var count: Int
    /// Seeds every choice, so a seed always writes the same reviews.
    public var seed: UInt64
    /// Fresh draws allowed for a review whose text was already written, before a duplicate is kept.
    public var attemptsPerReview: Int

    /// A generator of `count` reviews from `seed`.
    public init(count: Int = 3000, seed: UInt64 = 42, attemptsPerReview: Int = 100) {
        self.count = count
        self.seed = seed
        self.attemptsPerReview = attemptsPerReview
    }

    /// The generated reviews and how often a draw repeated an earlier text.
    public struct Output: Sendable {
        /// Labelled `positive` / `negative`, in shuffled order, lines 0.
        public var dataset: ReviewDataset
        /// Draws that repeated an earlier review and were drawn again.
        public var duplicateDraws: Int
        /// Reviews in `dataset` that repeat an earlier one because every attempt did.
        public var duplicatesKept: Int
    }

    /// Writes `count` reviews.
    /// - Throws: `DatasetError.tooFewReviews` when `count` is below 2 (both classes need a review).
    public func generate() throws -> Output {
        guard count >= 2 else { throw DatasetError.tooFewReviews(requested: count) }
        var generator = SeededGenerator(seed: seed)
        var seen = Set<String>()
        var examples: [LabeledText] = []
        var duplicateDraws = 0
        var duplicatesKept = 0
        for index in 0..<count {
            let positive = index >= count / 2
            var text = Self.review(positive: positive, using: &generator)
            var attempts = 1
            while seen.contains(text) && attempts < attemptsPerReview {
                duplicateDraws += 1
                text = Self.review(positive: positive, using: &generator)
                attempts += 1
            }
            if !seen.insert(text).inserted {
                duplicateDraws += 1
                duplicatesKept += 1
            }
            examples.append(LabeledText(text: text, label: positive ? Self.positiveLabel : Self.negativeLabel))
        }
        examples.seededShuffle(using: &generator)
        return Output(
            dataset: ReviewDataset(examples: examples), duplicateDraws: duplicateDraws, duplicatesKept: duplicatesKept)
    }

    /// One review of the given sentiment.
    package static func review(positive: Bool, using generator: inout SeededGenerator) -> String {
        let lexicon = SyntheticReviewLexicon.self
        let sentenceCount = 1 + generator.index(below: 4)
        let hasOpener = sentenceCount >= 2 && generator.index(below: 3) == 0
        let hasCloser = sentenceCount - (hasOpener ? 1 : 0) >= 2 && generator.index(below: 3) == 0
        var templates: [String] = []
        if hasOpener { templates.append(generator.pick(lexicon.openerTemplates)) }
        let coreCount = sentenceCount - (hasOpener ? 1 : 0) - (hasCloser ? 1 : 0)
        for _ in 0..<coreCount {
            // A template once per review: "I loved every minute of it." twice reads as a glitch.
            var template = generator.pick(lexicon.coreTemplates)
            while templates.contains(template) { template = generator.pick(lexicon.coreTemplates) }
            templates.append(template)
        }
        if hasCloser { templates.append(generator.pick(lexicon.closerTemplates)) }
        var renderer = TemplateRenderer(positive: positive, genre: generator.pick(lexicon.neutralSlots["genre"]!))
        return templates.map { renderer.sentence($0, using: &generator) }.joined(separator: " ")
    }
}

/// Fills a review's templates, keeping what must agree: one genre per review, "was"/"were" after
/// the aspect just named, and no word drawn twice for the same slot in a sentence.
private struct TemplateRenderer {
    let positive: Bool
    let genre: String
    var pluralAspect = false
    var used: Set<String> = []

    init(positive: Bool, genre: String) {
        self.positive = positive
        self.genre = genre
    }

    mutating func sentence(_ template: String, using generator: inout SeededGenerator) -> String {
        used = []
        let text = fixArticles(render(template, using: &generator))
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    private mutating func render(_ template: String, using generator: inout SeededGenerator) -> String {
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            result += render(
                word(for: String(rest[rest.index(after: open)..<close]), using: &generator), using: &generator)
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// A word for `slot`; a leading `!` takes the opposite sentiment's words.
    private mutating func word(for slot: String, using generator: inout SeededGenerator) -> String {
        let lexicon = SyntheticReviewLexicon.self
        switch slot {
        case "genre": return genre
        case "was": return pluralAspect ? "were" : "was"
        case "aspect":
            let all = lexicon.singularAspects + lexicon.pluralAspects
            let aspect = fresh(from: all, slot: slot, using: &generator)
            pluralAspect = lexicon.pluralAspects.contains(aspect)
            return aspect
        default: break
        }
        let opposite = slot.hasPrefix("!")
        let name = opposite ? String(slot.dropFirst()) : slot
        if let words = lexicon.polarSlots[name] {
            let forms = fresh(
                from: positive != opposite ? words.positive : words.negative, slot: name, using: &generator)
            // "shines|shine": singular and plural verb forms.
            let variants = forms.split(separator: "|")
            return String(pluralAspect && variants.count > 1 ? variants[1] : variants[0])
        }
        guard let words = lexicon.neutralSlots[name] else {
            preconditionFailure("template slot {\(slot)} has no words")
        }
        return fresh(from: words, slot: name, using: &generator)
    }

    /// A word not yet used for this slot in the sentence, when the list has one to spare.
    private mutating func fresh(from words: [String], slot: String, using generator: inout SeededGenerator) -> String {
        var word = generator.pick(words)
        for _ in 0..<8 where used.contains(slot + "=" + word) { word = generator.pick(words) }
        used.insert(slot + "=" + word)
        return word
    }

    /// "a" before a vowel sound becomes "an" ("an action movie", "an utterly dull film"), leaving
    /// "a unique" and "a one-off" alone.
    private func fixArticles(_ text: String) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for i in words.indices.dropLast() where words[i] == "a" || words[i] == "A" {
            let next = words[i + 1].lowercased()
            let vowel = next.first.map { "aeiou".contains($0) } ?? false
            let consonantSound = ["uni", "use", "usu", "one", "eu"].contains { next.hasPrefix($0) }
            if vowel && !consonantSound { words[i] += "n" }
        }
        return words.joined(separator: " ")
    }
}
