import BertSent
import BertSentTestSupport
import CKernels
import Foundation
import Testing

/// bf16(x): round to nearest even at 8 significant bits, as `vcvtne2ps2bf16` (finite, normal inputs).
func bf16Rounded(_ x: Float) -> Float {
    let bits = x.bitPattern
    return Float(bitPattern: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) & 0xFFFF_0000)
}

/// The bf16 products against a double-precision reference, on every bf16 kernel this CPU runs: the
/// native bf16 GEMM (Sources/CKernels/bf16_avx512.c or bf16_neon.c, called directly, column ranges included) where the
/// CPU has it, and everywhere `bf16Gemm` on the widened kernel (operands rounded by bs_bf16_round, then
/// BLAS), on shapes that are and are not multiples of the native tile (12×32), its 384-wide k blocks
/// and its 192-row blocks.
///
/// Tolerances are worst-case bounds, so they hold for any data; the first is tight enough that a lost
/// or misplaced term (|a·w| ≈ 0.25 on average here) fails it, the second bounds the real error:
/// - against the reference from bf16-rounded inputs, the products are exact in fp32 (8 × 8 significant
///   bits) and only the fp32 sums round, in any order: |error| ≤ γ(K+1) · (|bias| + Σ|a·w|),
///   γ(n) = n·u/(1 − n·u) with u = 2⁻²⁴ (round to nearest); Arm's `bfdot` rounds each pair's sum and
///   each addition to odd, within one ulp each, so there u = 2⁻²² (Tests/CKernelsC/kernels_test.c checks
///   the same bound under qemu);
/// - against the fp32 inputs, each rounded input is off by at most 2⁻⁸ relatively (half an ulp at 8
///   bits), so each product by at most 2·2⁻⁸ + 2⁻¹⁶: the bound adds (2⁻⁷ + 2⁻¹⁶)·Σ|a·w|.
struct Bf16GemmTests {
    /// The kernels to check here.
    static let kernels: [Bf16Kernel] = hasNativeBf16 ? [KernelSet(cpu: .current).bf16, .widened] : [.widened]

    /// out (m × n) (+)= op(A) · op(B) (+ bias): A stored m × k, or k × m when `transA`; B stored n × k
    /// (a linear layer's weight) when `transB`, or k × n; strides default to dense.
    struct Case {
        var m, n, k: Int
        var lda: Int? = nil
        var ldb: Int? = nil
        var transA = false
        var transB = true
        var columns: Range<Int>? = nil
        var bias = true
        var accumulate = false
    }

    static let unit = 0x1p-24

    /// Runs one case on `kernel`; returns the largest error/bound ratio against each reference.
    func check(_ c: Case, kernel: Bf16Kernel = KernelSet(cpu: .current).bf16, seed: UInt64) throws -> (
        rounded: Double, real: Double
    ) {
        var generator = SeededGenerator(seed: seed)
        let lda = c.lda ?? (c.transA ? c.m : c.k), ldb = c.ldb ?? (c.transB ? c.k : c.n)
        let a = (0..<((c.transA ? c.k : c.m) * lda)).map { _ in Float.random(in: -1...1, using: &generator) }
        let b = (0..<((c.transB ? c.n : c.k) * ldb)).map { _ in Float.random(in: -1...1, using: &generator) }
        func opA(_ i: Int, _ q: Int) -> Float { c.transA ? a[q * lda + i] : a[i * lda + q] }
        func opB(_ q: Int, _ j: Int) -> Float { c.transB ? b[j * ldb + q] : b[q * ldb + j] }
        let bias = c.bias ? (0..<c.n).map { _ in Float.random(in: -1...1, using: &generator) } : nil
        let columns = c.columns ?? 0..<c.n
        // Accumulating starts from values already in out; otherwise out starts as a sentinel that
        // columns outside the range must keep.
        let initial = (0..<(c.m * c.n)).map { _ in c.accumulate ? Float.random(in: -1...1, using: &generator) : 12345 }
        var out = initial
        if kernel.isNative {
            let count = bs_bf16_packed_count(c.n, c.k)
            let packed = UnsafeMutableRawPointer.allocate(byteCount: count * 2, alignment: 64).bindMemory(
                to: UInt16.self, capacity: count)
            defer { packed.deallocate() }
            // In two calls, as two cores pack halves of the panels.
            let panels = (c.n + 31) / 32
            bs_bf16_pack_b(packed, b, ldb, c.transB ? 1 : 0, c.n, c.k, 0, panels / 2)
            bs_bf16_pack_b(packed, b, ldb, c.transB ? 1 : 0, c.n, c.k, panels / 2, panels)
            out.withUnsafeMutableBufferPointer { out in
                (bias ?? []).withUnsafeBufferPointer { biasBuffer in
                    bs_bf16_gemm(
                        out.baseAddress!, c.n, a, lda, c.transA ? 1 : 0, packed,
                        bias == nil ? nil : biasBuffer.baseAddress, c.m, c.k, columns.lowerBound, columns.upperBound,
                        c.accumulate ? 1 : 0)
                }
            }
        } else {
            precondition(columns == 0..<c.n, "the widened kernel computes whole products")
            let packing = try Bf16PackingBuffer(
                capacity: Bf16PackingBuffer.count(n: c.n, k: c.k, kernel: kernel), kernel: kernel)
            out.withUnsafeMutableBufferPointer { out in
                (bias ?? []).withUnsafeBufferPointer { biasBuffer in
                    bf16Gemm(
                        transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k, a: a, lda: lda, b: b, ldb: ldb,
                        bias: bias == nil ? nil : biasBuffer.baseAddress, accumulate: c.accumulate, c: out.baseAddress!,
                        ldc: c.n, packing: packing)
                }
            }
        }
        let unit = kernel == .neonBf16 ? 0x1p-22 : Self.unit
        let gammaK = Double(c.k + 1) * unit / (1 - Double(c.k + 1) * unit)
        var worst = (rounded: 0.0, real: 0.0)
        for i in 0..<c.m {
            for j in 0..<c.n {
                let got = Double(out[i * c.n + j])
                guard columns.contains(j) else {
                    #expect(got == Double(initial[i * c.n + j]), "column \(j) outside \(columns) was written")
                    continue
                }
                let start = c.accumulate ? Double(initial[i * c.n + j]) : Double(bias?[j] ?? 0)
                var exactRounded = start, exactReal = start, magnitude = abs(start)
                for q in 0..<c.k {
                    let x = opA(i, q), y = opB(q, j)
                    exactRounded += Double(bf16Rounded(x)) * Double(bf16Rounded(y))
                    exactReal += Double(x) * Double(y)
                    magnitude += abs(Double(x) * Double(y))
                }
                let roundedBound = gammaK * magnitude + 1e-30
                let realBound = roundedBound + (0x1p-7 + 0x1p-16) * magnitude
                worst.rounded = max(worst.rounded, abs(got - exactRounded) / roundedBound)
                worst.real = max(worst.real, abs(got - exactReal) / realBound)
            }
        }
        return worst
    }

    @Test("every M × N × K of the awkward shapes", arguments: [1, 31, 384, 1536], kernels)
    func awkwardShapes(k: Int, kernel: Bf16Kernel) throws {
        var largest = (rounded: 0.0, real: 0.0)
        defer {
            print(
                "bf16 GEMM on \(kernel.rawValue), K = \(k): largest error / bound \(largest.rounded) (bf16 inputs), \(largest.real) (fp32 inputs)"
            )
        }
        for m in [1, 3, 129] {
            for n in [1, 17, 384, 1536] {
                let worst = try check(Case(m: m, n: n, k: k), kernel: kernel, seed: UInt64(m * n * k))
                largest = (max(largest.rounded, worst.rounded), max(largest.real, worst.real))
                #expect(worst.rounded <= 1, "\(m)×\(n)×\(k): error \(worst.rounded) × the bound from bf16 inputs")
                #expect(worst.real <= 1, "\(m)×\(n)×\(k): error \(worst.real) × the bound from fp32 inputs")
            }
        }
    }

    @Test("more rows than a block, strided input, no bias, a range of columns", arguments: kernels)
    func blocksStridesAndColumnRanges(kernel: Bf16Kernel) throws {
        let cases = [
            Case(m: 200, n: 70, k: 33),  // two row blocks, a partial tile each way
            Case(m: 13, n: 96, k: 385, lda: 400),  // two k blocks, the second one value long; strided rows
            Case(m: 5, n: 100, k: 64, bias: false),
            Case(m: 7, n: 100, k: 50, columns: 32..<90),  // what one core computes in a column split
            Case(m: 7, n: 100, k: 50, columns: 64..<100),
        ]
        for c in cases where kernel.isNative || c.columns == nil {
            let worst = try check(c, kernel: kernel, seed: 1)
            #expect(worst.rounded <= 1, "\(c): error \(worst.rounded) × the bound from bf16 inputs")
            #expect(worst.real <= 1, "\(c): error \(worst.real) × the bound from fp32 inputs")
        }
    }

    /// Training's products: dinp = dout · W (B read as stored, k × n) and dweight += doutᵀ · inp (A read
    /// transposed too), both adding into what out holds.
    @Test("operands read transposed, adding into out", arguments: kernels)
    func transposedOperandsAndAccumulation(kernel: Bf16Kernel) throws {
        let cases = [
            Case(m: 129, n: 384, k: 1536, transB: false, bias: false, accumulate: true),  // dinp, FFN output layer
            // dweight over 1025 tokens
            Case(m: 384, n: 70, k: 1025, transA: true, transB: false, bias: false, accumulate: true),
            // odd k: a pair half empty
            Case(m: 200, n: 33, k: 31, transA: true, transB: false, bias: false, accumulate: true),
            Case(
                m: 13, n: 100, k: 31, lda: 20, ldb: 110, transA: true, transB: false, columns: 32..<90, bias: false,
                accumulate: true),
            Case(m: 13, n: 100, k: 400, lda: 17, transA: true),  // transposed A, with bias
            Case(m: 7, n: 45, k: 50, ldb: 64, transB: false),  // strided B, with bias
        ]
        for c in cases where kernel.isNative || c.columns == nil {
            let worst = try check(c, kernel: kernel, seed: 1)
            #expect(worst.rounded <= 1, "\(c): error \(worst.rounded) × the bound from bf16 inputs")
            #expect(worst.real <= 1, "\(c): error \(worst.real) × the bound from fp32 inputs")
        }
    }

    @Test("packing rounds to nearest even, ties to even, as vcvtne2ps2bf16", .enabled(if: hasNativeBf16))
    func roundingIsNearestEven() {
        // 1 + 2⁻⁸ is halfway between bf16 1 and 1 + 2⁻⁷: ties go to the even mantissa, 1; 1 + 3·2⁻⁸ to
        // 1 + 2⁻⁶ (even); 1 + 2⁻⁸ + 2⁻²⁰ is past halfway, up.
        let inputs: [Float] = [1 + 0x1p-8, 1 + 3 * 0x1p-8, 1 + 0x1p-8 + 0x1p-20, -(1 + 0x1p-8 + 0x1p-20), 3.14159]
        let expected: [Float] = [1, 1 + 0x1p-6, 1 + 0x1p-7, -(1 + 0x1p-7), bf16Rounded(3.14159)]
        #expect(inputs.map(bf16Rounded) == expected)
        // K = 1, every layout rounding the inputs: 1 × inputs as op(B) (1 × 5), and inputs as op(A) (5 × 1) × 1.
        let count = bs_bf16_packed_count(5, 1)
        let packed = UnsafeMutableRawPointer.allocate(byteCount: count * 2, alignment: 64).bindMemory(
            to: UInt16.self, capacity: count)
        defer { packed.deallocate() }
        for transposed in [true, false] {
            bs_bf16_pack_b(packed, inputs, transposed ? 1 : 5, transposed ? 1 : 0, 5, 1, 0, 1)
            var out = [Float](repeating: 0, count: 5)
            bs_bf16_gemm(&out, 5, [Float(1)], 1, 0, packed, nil, 1, 1, 0, 5, 0)
            #expect(out == expected, "op(B) packed from \(transposed ? "n × k" : "k × n")")
        }
        bs_bf16_pack_b(packed, [Float(1)], 1, 0, 1, 1, 0, 1)
        for transposed in [true, false] {
            var out = [Float](repeating: 0, count: 5)
            bs_bf16_gemm(&out, 1, inputs, transposed ? 5 : 1, transposed ? 1 : 0, packed, nil, 5, 1, 0, 1, 0)
            #expect(out == expected, "op(A) read \(transposed ? "transposed" : "as stored")")
        }
    }

    /// bs_bf16_round, the widened kernel's rounding, at every level this CPU runs: ties to even, subnormals
    /// to signed zero, NaN kept, overflow to infinity, as vcvtneps2bf16 — and on a CPU with AVX-512 BF16,
    /// bit for bit what the native kernel's packing gives for 10,000 random values of every magnitude.
    @Test("bs_bf16_round rounds as the native conversion", arguments: KernelSet.availableCaps)
    func wideningRoundsAsTheNativeConversion(cap: InstructionSet) {
        func round(_ values: [Float]) -> [Float] {
            var out = [Float](repeating: 0, count: values.count)
            bs_bf16_round(cap.cLevel, &out, values, 1, values.count, values.count)
            return out
        }
        let special: [Float] = [
            1 + 0x1p-8, 1 + 3 * 0x1p-8, 1 + 0x1p-8 + 0x1p-20, -(1 + 0x1p-8 + 0x1p-20), 0x1p-130, -0x1p-140,
            .greatestFiniteMagnitude, -.infinity, 0, -0.0,
        ]
        let expected: [Float] = [1, 1 + 0x1p-6, 1 + 0x1p-7, -(1 + 0x1p-7), 0, -0.0, .infinity, -.infinity, 0, -0.0]
        #expect(round(special).map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(round([.nan]).first!.isNaN)
        guard hasNativeBf16 else { return }
        var generator = SeededGenerator(seed: 3)
        let values = (0..<10_000).map { _ in
            Float(
                bitPattern: UInt32(truncatingIfNeeded: generator.next()) & 0x7F7F_FFFF
                    | (generator.next() % 2 == 0 ? 0 : 0x8000_0000))
        }
        // The native kernel's product of each value with 1 (K = 1) is the value rounded by its packing.
        let count = bs_bf16_packed_count(values.count, 1)
        let packed = UnsafeMutableRawPointer.allocate(byteCount: count * 2, alignment: 64).bindMemory(
            to: UInt16.self, capacity: count)
        defer { packed.deallocate() }
        bs_bf16_pack_b(packed, values, 1, 1, values.count, 1, 0, (values.count + 31) / 32)
        var native = [Float](repeating: 0, count: values.count)
        bs_bf16_gemm(&native, values.count, [Float(1)], 1, 0, packed, nil, 1, 1, 0, values.count, 0)
        let widened = round(values)
        let mismatches = zip(native, widened).filter { $0.bitPattern != $1.bitPattern && !($0 == 0 && $1 == 0) }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }
}
