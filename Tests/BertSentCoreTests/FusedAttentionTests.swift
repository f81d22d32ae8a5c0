import BertSent
import BertSentTestSupport
import CKernels
import Testing

/// The fused attention head of inference (bs_attention_head) against the unfused path training uses
/// (scores by BLAS, softmax, P·V by BLAS; `attentionForward` with log Σ exp), at every level this CPU
/// runs, for heads of 32 and 64 values, texts of lengths that are and are not multiples of its 64-key
/// blocks, every query row or [CLS] alone. Both compute the same sums in another order: |Δ| ≤ 1e-5 for
/// outputs of magnitude ≤ 1 (measured about 1e-7), and the log Σ exp too; a wrong key, row or scale
/// gives errors of order 0.1.
struct FusedAttentionTests {
    @Test(arguments: KernelSet.availableCaps, [32, 64])
    func fusedHeadMatchesTheUnfusedPath(cap: InstructionSet, headSize: Int) throws {
        let heads = 2, channels = heads * headSize, seq = 77, batch = 3
        let lengths: [Int32] = [77, 64, 5]
        var generator = SeededGenerator(seed: UInt64(headSize))
        func random(_ count: Int) -> [Float] { (0..<count).map { _ in Float.random(in: -2...2, using: &generator) } }
        let q = random(batch * seq * channels), k = random(batch * seq * channels), v = random(batch * seq * channels)
        for queries in [seq, 1] {
            // q holds `queries` rows per sample: every position, or the first ([CLS]).
            let qRows = (0..<batch).flatMap { b in q[(b * seq * channels)..<((b * seq + queries) * channels)] }
            var reference = [Float](repeating: 0, count: batch * queries * channels)
            var logSumExp = [Float](repeating: 0, count: batch * heads * queries)
            var scratch = [Float](
                repeating: 0, count: attentionScratchCount(queries: queries, seq: seq, backward: false))
            attentionForward(
                ctx: &reference, logSumExp: &logSumExp, q: qRows, k: k, v: v, lengths: lengths, batch: batch, seq: seq,
                queries: queries, heads: heads, channels: channels, scratch: &scratch)
            var fused = [Float](repeating: 0, count: batch * queries * channels)
            var fusedLogSumExp = [Float](repeating: 0, count: batch * heads * queries)
            qRows.withUnsafeBufferPointer { q in
                k.withUnsafeBufferPointer { k in
                    v.withUnsafeBufferPointer { v in
                        fused.withUnsafeMutableBufferPointer { out in
                            fusedLogSumExp.withUnsafeMutableBufferPointer { lse in
                                for b in 0..<batch {
                                    for h in 0..<heads {
                                        let row = b * queries * channels + h * headSize
                                        let key = b * seq * channels + h * headSize
                                        bs_attention_head(
                                            cap.cLevel, out.baseAddress! + row,
                                            lse.baseAddress! + (b * heads + h) * queries, q.baseAddress! + row,
                                            k.baseAddress! + key, v.baseAddress! + key, channels, queries,
                                            Int(lengths[b]), headSize, 1 / Float(headSize).squareRoot())
                                    }
                                }
                            }
                        }
                    }
                }
            }
            let outputError = maxAbsDiff(fused, reference), lseError = maxAbsDiff(fusedLogSumExp, logSumExp)
            #expect(outputError <= 1e-5, "\(cap), hs \(headSize), \(queries) queries: |Δ ctx| \(outputError)")
            #expect(lseError <= 1e-5, "\(cap), hs \(headSize), \(queries) queries: |Δ log Σ exp| \(lseError)")
        }
    }
}
