@_spi(Fuzzing) import BertSentServer
import Foundation
import FuzzSupport

// The server's `POST /predict` body decoding on any bytes: a body is refused with 400 or 422 (never an error
// the server would answer with 500), or gives one or more texts or pairs, and a request written back as JSON
// decodes the same.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPredictRequest(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let body = Data(UnsafeBufferPointer(start: start, count: count))
    let outcome = decode(body)
    guard case .request(let sequences, let isBatch, let rawScores, let truncate) = outcome else {
        if case .refused(let status, _) = outcome {
            require(status == 400 || status == 422, "a body was refused with \(status), not 400 or 422")
        }
        return 0
    }
    require(!sequences.isEmpty, "a request with no inputs was accepted")
    require(isBatch || sequences.count == 1, "a request that is not a batch has \(sequences.count) inputs")
    require(sequences.allSatisfy { (1...2).contains($0.count) }, "an input is neither a text nor a pair")

    // The canonical form of the same request: a batch as a list of one-text or two-text lists.
    let inputs: Any =
        if isBatch {
            sequences
        } else if sequences[0].count == 1 {
            sequences[0][0]
        } else {
            sequences[0]
        }
    let rewritten: Data
    do {
        rewritten = try JSONSerialization.data(
            withJSONObject: ["inputs": inputs, "raw_scores": rawScores, "truncate": truncate])
    } catch {
        fatalError("property violated: the decoded request cannot be written as JSON: \(error)")
    }
    require(decode(rewritten) == outcome, "the request written back as JSON decodes differently")
    return 0
}

/// What the server makes of `body`; an error it would answer with 500 stops the run.
private func decode(_ body: Data) -> PredictRequestDecoding.Outcome {
    do {
        return try PredictRequestDecoding.decode(body)
    } catch {
        fatalError("property violated: decoding threw \(type(of: error)), which the server answers with 500: \(error)")
    }
}
