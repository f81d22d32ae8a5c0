import Foundation

/// Decodes a `POST /predict` body as the server does, for the fuzz target in Fuzz/: in another package, it
/// cannot reach the package-level request type. Not meant for applications, hence the `Fuzzing` SPI.
@_spi(Fuzzing) public enum PredictRequestDecoding {
    /// What the server makes of a body.
    public enum Outcome: Sendable, Equatable {
        /// The body asks to score `sequences` (each a text, or a text and its pair), as a batch or not.
        case request(sequences: [[String]], isBatch: Bool, rawScores: Bool, truncate: Bool)
        /// The body is refused with HTTP `status` and `message`.
        case refused(status: Int, message: String)
    }

    /// Decodes `body`.
    /// - Throws: only an error the server does not turn into a client error (it would answer 500).
    public static func decode(_ body: Data) throws -> Outcome {
        do {
            let request = try PredictRequest.decode(body)
            return .request(
                sequences: request.sequences.map { [$0.text] + ($0.pair.map { [$0] } ?? []) },
                isBatch: request.isBatch, rawScores: request.rawScores, truncate: request.truncate)
        } catch let error as APIError {
            return .refused(status: error.status.code, message: error.message)
        }
    }
}
