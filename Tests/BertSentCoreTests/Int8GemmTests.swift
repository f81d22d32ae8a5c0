import BertSent
import BertSentTestSupport
import CKernels
import Foundation
import Testing

/// Every int8 GEMM this CPU runs (Sources/CKernels/int8_*.c: AVX-512 VNNI, AVX-VNNI, AVX2, portable, one
/// per instruction-set cap) against a reference that quantises the same way:
/// q = round-to-nearest-even(x · 127 / max|row|), saturated to int8, per row of A and per row of W.
/// The integer sums are exact and the epilogue is one conversion, one product of the two scales and
/// one fused multiply-add with the bias, so the kernel must match the reference bit for bit. Against
/// the unquantised product the error is bounded by the quantisation steps (so every kernel gives the
/// same outputs as every other, bit for bit): each value is off by at
/// most half its row's step (scale / 2), so |error| ≤ Σ_k (|a_k|·Δw + |w_k|·Δa + Δa·Δw) (+ float
/// rounding, 1e-5 relative).
struct Int8GemmTests {
    /// One int8 kernel per cap this CPU runs, without repeats.
    static let kernels: [Int8Kernel] = KernelSet.availableCaps.reduce(into: []) { kernels, cap in
        let kernel = KernelSet(cpu: .current, cap: cap).int8
        if !kernels.contains(kernel) { kernels.append(kernel) }
    }

    /// q values and scale of one row, as the kernel quantises it.
    static func quantise(_ row: ArraySlice<Float>) -> (q: [Int32], scale: Float) {
        let largest = row.map(abs).max() ?? 0
        let inverse: Float = largest > 0 ? 127 / largest : 0
        return (
            row.map { Int32(max(-128, min(127, ($0 * inverse).rounded(.toNearestOrEven)))) },
            largest > 0 ? largest / 127 : 1
        )
    }

    struct Case {
        var m, n, k: Int
        var lda: Int? = nil
        var columns: Range<Int>? = nil
        var bias = true
    }

    /// Runs one case; returns whether every output matched the reference exactly, and the largest
    /// error / bound against the unquantised product.
    func check(_ c: Case, kernel: Int8Kernel, seed: UInt64) -> (exact: Bool, worst: Double) {
        var generator = SeededGenerator(seed: seed)
        let lda = c.lda ?? c.k
        var a = (0..<(c.m * lda)).map { _ in Float.random(in: -2...2, using: &generator) }
        if c.m > 2 { for q in 0..<c.k { a[lda + q] = 0 } }  // an all-zero row: scale 1, every q 0
        let w = (0..<(c.n * c.k)).map { _ in Float.random(in: -0.5...0.5, using: &generator) }
        let bias = c.bias ? (0..<c.n).map { _ in Float.random(in: -1...1, using: &generator) } : nil
        let columns = c.columns ?? 0..<c.n
        let sentinel: Float = 12345
        var out = [Float](repeating: sentinel, count: c.m * c.n)
        let count = bs_int8_packed_count(c.n, c.k)
        let packed = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 64).bindMemory(
            to: Int8.self, capacity: count)
        defer { packed.deallocate() }
        var scales = [Float](repeating: 0, count: c.n), offsets = [Int32](repeating: 0, count: c.n)
        bs_int8_pack_weights(packed, &scales, &offsets, w, c.n, c.k)
        out.withUnsafeMutableBufferPointer { out in
            (bias ?? []).withUnsafeBufferPointer { biasBuffer in
                bs_int8_gemm(
                    kernel.cKernel, out.baseAddress!, c.n, a, lda, packed, scales, offsets,
                    bias == nil ? nil : biasBuffer.baseAddress,
                    c.m, c.k, columns.lowerBound, columns.upperBound)
            }
        }
        let weights = (0..<c.n).map { Self.quantise(w[($0 * c.k)..<(($0 + 1) * c.k)]) }
        var exact = true, worst = 0.0
        for i in 0..<c.m {
            let row = Self.quantise(a[(i * lda)..<(i * lda + c.k)])
            for j in 0..<c.n {
                let got = out[i * c.n + j]
                guard columns.contains(j) else {
                    #expect(got == sentinel, "column \(j) outside \(columns) was written")
                    continue
                }
                #expect(scales[j] == weights[j].scale, "scale of column \(j)")
                let sum = zip(row.q, weights[j].q).reduce(Int32(0)) { $0 + $1.0 * $1.1 }
                let expected = (bias?[j] ?? 0).addingProduct(Float(sum), weights[j].scale * row.scale)
                if got != expected { exact = false }
                var real = Double(bias?[j] ?? 0), bound = 1e-5 * abs(real)
                for q in 0..<c.k {
                    let x = Double(a[i * lda + q]), y = Double(w[j * c.k + q])
                    real += x * y
                    bound +=
                        abs(x) * Double(weights[j].scale) / 2 + abs(y) * Double(row.scale) / 2
                        + Double(row.scale * weights[j].scale) / 4 + 1e-5 * abs(x * y)
                }
                worst = max(worst, abs(Double(got) - real) / (bound + 1e-30))
            }
        }
        return (exact, worst)
    }

    @Test(
        "shapes around the tiles (12×32, 6×16, 4×16), 4-value quads and 192-row blocks; strides, column ranges, no bias",
        arguments: kernels)
    func shapes(kernel: Int8Kernel) {
        var cases: [Case] = []
        for m in [1, 13, 200] {
            for n in [1, 17, 100] {
                for k in [1, 3, 5, 384, 1537] { cases.append(Case(m: m, n: n, k: k)) }
            }
        }
        cases += [
            Case(m: 7, n: 100, k: 50, lda: 64),
            Case(m: 7, n: 100, k: 50, columns: 32..<90),
            Case(m: 7, n: 100, k: 50, columns: 64..<100, bias: false),
        ]
        var largest = 0.0
        for (index, c) in cases.enumerated() {
            let result = check(c, kernel: kernel, seed: UInt64(index + 1))
            largest = max(largest, result.worst)
            #expect(result.exact, "\(c): differs from the reference quantisation")
            #expect(result.worst <= 1, "\(c): error \(result.worst) × the quantisation bound")
        }
        print(
            "int8 GEMM on \(kernel.rawValue): \(cases.count) shapes bit-exact against the reference; largest error / quantisation bound \(largest)"
        )
    }
}
