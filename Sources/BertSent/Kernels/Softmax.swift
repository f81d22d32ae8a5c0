import Foundation

/// Numerically stable softmax of each row's first `valid` entries, in place; entries from `valid` up
/// to `c` are set to 0 (masked keys get exactly zero weight, as an additive −∞ mask gives).
/// x is (N, C) with row stride `stride`.
func softmaxRows(_ x: UnsafeMutablePointer<Float>, n: Int, c: Int, valid: Int, stride: Int) {
    for row in 0..<n {
        let p = x + row * stride
        var maximum = -Float.infinity
        for i in 0..<valid { maximum = max(maximum, p[i]) }
        var sum: Float = 0
        for i in 0..<valid {
            let e = exp(p[i] - maximum)
            p[i] = e
            sum += e
        }
        let scale = 1 / sum
        for i in 0..<valid { p[i] *= scale }
        for i in valid..<c { p[i] = 0 }
    }
}
