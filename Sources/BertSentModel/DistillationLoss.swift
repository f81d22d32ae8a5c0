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
        let tau = temperature, scale = 1 / Double(denominator)
        var total = 0.0
        for (row, label) in labels.enumerated() {
            let s = logits + row * numLabels, t = teacher + row * numLabels, ds = dlogits + row * numLabels
            let softWeight = label == Self.unlabeled ? 1 : alpha
            // The hard term is the classification loss, weighted; the soft term's gradient is added to it.
            if softWeight < 1 {
                total += ClassificationLoss.evaluate(
                    logits: s, label: label, numLabels: numLabels, scale: Float((1 - softWeight) * scale), dlogits: ds)
            } else {
                ds.update(repeating: 0, count: numLabels)
            }
            if numLabels == 1 {
                // KL of Bernoulli(σ(t/τ)) from Bernoulli(σ(s/τ)); d/ds = (σ(s/τ) − σ(t/τ))/τ.
                let x = Double(s[0]) / tau, y = Double(t[0]) / tau, p = sigmoid(y)
                let kl = p * (logSigmoid(y) - logSigmoid(x)) + (1 - p) * (logSigmoid(-y) - logSigmoid(-x))
                total += softWeight * tau * tau * kl * scale
                ds[0] += Float(softWeight * tau * (sigmoid(x) - p) * scale)
            } else {
                let logP = logSoftmax(t, count: numLabels, temperature: tau)
                let logQ = logSoftmax(s, count: numLabels, temperature: tau)
                var kl = 0.0
                for j in 0..<numLabels { kl += exp(logP[j]) * (logP[j] - logQ[j]) }
                total += softWeight * tau * tau * kl * scale
                for j in 0..<numLabels { ds[j] += Float(softWeight * tau * (exp(logQ[j]) - exp(logP[j])) * scale) }
            }
        }
        return total
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
