import Foundation

/// A `POST /predict` body, as text-embeddings-inference reads it.
///
/// `inputs` is a text (`"t"`), a pair (`["a", "b"]`: a flat list of exactly two texts, as TEI reads it),
/// or a batch (`[["t1"], ["t2"]]`, `[["a", "b"], ["c", "d"]]`, `["t1", ["t2"]]`, `["t1", "t2", "t3"]`).
package struct PredictRequest: Sendable, Equatable {
    /// One input: a text, or a pair of texts read together (token types 0 and 1).
    package struct Sequence: Sendable, Equatable {
        /// The text, or the first of a pair.
        package var text: String
        /// The second text of a pair; nil for a single text.
        package var pair: String?

        /// A text, or a pair of texts when `pair` is given.
        package init(_ text: String, pair: String? = nil) {
            self.text = text
            self.pair = pair
        }
    }

    /// The inputs, in request order.
    package var sequences: [Sequence]
    /// A batch is answered with one list of scores per sequence; a single sequence with one list.
    package var isBatch: Bool
    /// Logits instead of probabilities.
    package var rawScores = false
    /// Truncate inputs longer than the model's maximum length instead of refusing them.
    package var truncate = false

    /// A request for `sequences`, with TEI's options at their defaults unless given.
    package init(sequences: [Sequence], isBatch: Bool, rawScores: Bool = false, truncate: Bool = false) {
        self.sequences = sequences
        self.isBatch = isBatch
        self.rawScores = rawScores
        self.truncate = truncate
    }

    /// Reads a JSON body; every problem is a 422 naming the field, an empty `inputs` a 400.
    package static func decode(_ body: Data) throws -> PredictRequest {
        let request: PredictRequest
        do {
            request = try JSONDecoder().decode(PredictRequest.self, from: body)
        } catch let error as APIError {
            throw error
        } catch let error as DecodingError {
            throw APIError.validation(Self.describe(error))
        }
        if request.sequences.isEmpty { throw APIError.empty("`inputs` cannot be empty") }
        return request
    }

    private static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.isEmpty
                ? "the body"
                : "`" + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") + "`"
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "the body is not valid JSON: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)"
        case .dataCorrupted(let context):
            return "\(field(context.codingPath)): \(context.debugDescription)"
        case .typeMismatch(let type, let context):
            let expected = type == Bool.self ? "true or false" : type == String.self ? "a string" : "\(type)"
            return "\(field(context.codingPath)) must be \(expected)"
        case .keyNotFound(let key, let context):
            return "missing field `\(key.stringValue)` in \(field(context.codingPath))"
        case .valueNotFound(_, let context):
            return "\(field(context.codingPath)) must not be null"
        @unknown default:
            return "\(error)"
        }
    }
}

extension PredictRequest: Decodable {
    private enum CodingKeys: String, CodingKey {
        case inputs
        case rawScores = "raw_scores"
        case truncate
        case truncationDirection = "truncation_direction"
    }

    private static let inputsShape =
        "`inputs` must be a text, a pair of texts, or a batch: a list of texts, pairs or one-text lists"

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rawScores = try container.decodeIfPresent(Bool.self, forKey: .rawScores) ?? false
        truncate = try container.decodeIfPresent(Bool.self, forKey: .truncate) ?? false
        if let direction = try container.decodeIfPresent(String.self, forKey: .truncationDirection),
            direction.lowercased() != "right"
        {
            throw APIError.validation("`truncation_direction` \"\(direction)\" is not supported; only \"Right\" is")
        }
        guard container.contains(.inputs) else { throw APIError.validation("missing field `inputs`") }
        let inputs: Inputs
        do {
            inputs = try container.decode(Inputs.self, forKey: .inputs)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.validation(Self.inputsShape)
        }
        switch inputs {
        case .text(let text): (sequences, isBatch) = ([Sequence(text)], false)
        case .sequence(let sequence): (sequences, isBatch) = ([sequence], false)
        case .batch(let batch): (sequences, isBatch) = (batch, true)
        }
    }

    /// The three shapes `inputs` takes.
    private enum Inputs: Decodable {
        case text(String)
        case sequence(Sequence)
        case batch([Sequence])

        init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer()
            if let text = try? value.decode(String.self) {
                self = .text(text)
            } else if let texts = try? value.decode([String].self) {
                // As TEI reads it: exactly two texts are a pair; any other count is a batch of texts.
                self =
                    texts.count == 2
                    ? .sequence(Sequence(texts[0], pair: texts[1])) : .batch(texts.map { Sequence($0) })
            } else {
                self = .batch(try value.decode([SequenceElement].self).map(\.sequence))
            }
        }
    }

    /// One element of a batch: a text, or a list of one or two texts.
    private struct SequenceElement: Decodable {
        let sequence: Sequence

        init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer()
            if let text = try? value.decode(String.self) {
                sequence = Sequence(text)
                return
            }
            let texts = try value.decode([String].self)
            guard (1...2).contains(texts.count) else {
                throw APIError.validation(
                    "each element of a batch must be one text or a pair, got a list of \(texts.count)")
            }
            sequence = Sequence(texts[0], pair: texts.count == 2 ? texts[1] : nil)
        }
    }
}
