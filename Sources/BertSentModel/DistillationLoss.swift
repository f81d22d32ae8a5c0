import Foundation

/// Knowledge distillation's objective on a student's logits: for each text,
/// α·τ²·KL(teacher ‖ student, both at temperature τ) + (1 − α)·cross-entropy with its label, or τ²·KL
/// alone for a text without a label (it learns from the teacher only). The τ² keeps the soft term's
/// gradient on the scale of the hard one's as τ grows. A softmax head compares the class distributions;
/// a 1-logit sigmoid head the two Bernoulli distributions its logit and the teacher's define.
package struct DistillationLoss: Sendable, Equatable {
    /// The soft term's weight, in [0, 1]; texts without a label use 1.
    package var alpha: Double
    /// Softens both distributions; 1 leaves them as they are.
    package var temperature: Double

    package init(alpha: Double, temperature: Double) {
        self.alpha = alpha
        self.temperature = temperature
    }

    /// The label of a text that has none.
    package static let unlabeled = -1

    /// Returns Σ_b loss_b / `denominator` and writes its gradient into `dlogits`; with `denominator` the
    /// global batch's size this is the batch mean, also over accumulated micro-batches.
    ///
    /// - Parameters:
    ///   - logits, teacher: (B, numLabels), the student's and the teacher's.
    ///   - labels: class indices (for one logit, 1 is the class the sigmoid scores), or `unlabeled`.
    package func evaluate(
        logits: UnsafePointer<Float>, teacher: UnsafePointer<Float>, labels: [Int], numLabels: Int,
        denominator: Float, dlogits: UnsafeMutablePointer<Float>
    ) -> Double {
        let tau = temperature
        var total = 0.0
        for (row, label) in labels.enumerated() {
            let s = logits + row * numLabels, t = teacher + row * numLabels, ds = dlogits + row * numLabels
            let softWeight = label == Self.unlabeled ? 1 : alpha
            let hardWeight = 1 - softWeight
            var loss = 0.0
            if numLabels == 1 {
                // KL of Bernoulli(σ(t/τ)) from Bernoulli(σ(s/τ)); d/ds = (σ(s/τ) − σ(t/τ))/τ.
                let x = Double(s[0]), p = sigmoid(Double(t[0]) / tau), q = sigmoid(x / tau)
                let kl =
                    p * (logSigmoid(Double(t[0]) / tau) - logSigmoid(x / tau))
                    + (1 - p) * (logSigmoid(-Double(t[0]) / tau) - logSigmoid(-x / tau))
                loss += softWeight * tau * tau * kl
                var gradient = softWeight * tau * (q - p)
                if hardWeight > 0 {
                    let y = Double(label)
                    loss += hardWeight * (max(x, 0) - x * y + log1p(exp(-abs(x))))
                    gradient += hardWeight * (sigmoid(x) - y)
                }
                ds[0] = Float(gradient / Double(denominator))
            } else {
                let logP = logSoftmax(t, count: numLabels, temperature: tau)
                let logQ = logSoftmax(s, count: numLabels, temperature: tau)
                var kl = 0.0
                for j in 0..<numLabels { kl += exp(logP[j]) * (logP[j] - logQ[j]) }
                loss += softWeight * tau * tau * kl
                let logHard = hardWeight > 0 ? logSoftmax(s, count: numLabels, temperature: 1) : []
                if hardWeight > 0 { loss -= hardWeight * logHard[label] }
                for j in 0..<numLabels {
                    var gradient = softWeight * tau * (exp(logQ[j]) - exp(logP[j]))
                    if hardWeight > 0 { gradient += hardWeight * (exp(logHard[j]) - (j == label ? 1 : 0)) }
                    ds[j] = Float(gradient / Double(denominator))
                }
            }
            total += loss
        }
        return total / Double(denominator)
    }

    private func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// log σ(x) without overflow: −log(1 + e^−x) = min(x, 0) − log(1 + e^−|x|).
    private func logSigmoid(_ x: Double) -> Double { min(x, 0) - log1p(exp(-abs(x))) }

    /// log softmax(z/τ), from the largest term so that nothing overflows.
    private func logSoftmax(_ z: UnsafePointer<Float>, count: Int, temperature: Double) -> [Double] {
        let scaled = (0..<count).map { Double(z[$0]) / temperature }
        let maximum = scaled.max() ?? 0
        let logSum = maximum + log(scaled.reduce(0) { $0 + exp($1 - maximum) })
        return scaled.map { $0 - logSum }
    }
}
