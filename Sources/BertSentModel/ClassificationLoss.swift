import Foundation

/// The training objective on the classifier's logits: softmax cross-entropy for two or more labels
/// (transformers' single-label loss), sigmoid + binary cross-entropy for a single logit (`BCELoss` of the sigmoid),
/// each sample optionally weighted by its class.
package enum ClassificationLoss {
    /// Returns Σ_b weight(y_b) · loss_b / `denominator` and writes its gradient into `dlogits`.
    /// With no class weights and `denominator` = the global batch size, this is the batch mean that
    /// torch's losses compute, also when the batch is split into accumulated micro-batches.
    ///
    /// - Parameters:
    ///   - logits: (B, numLabels).
    ///   - labels: class indices; for one logit, 1 is the class the sigmoid scores and 0 the other.
    ///   - classWeights: one weight per class (2 for a sigmoid head), or nil for 1.
    package static func evaluate(
        logits: UnsafePointer<Float>, labels: [Int], numLabels: Int, classWeights: [Float]?,
        denominator: Float, dlogits: UnsafeMutablePointer<Float>
    ) -> Double {
        var total = 0.0
        for (row, label) in labels.enumerated() {
            total += evaluate(
                logits: logits + row * numLabels, label: label, numLabels: numLabels,
                scale: (classWeights?[label] ?? 1) / denominator, dlogits: dlogits + row * numLabels)
        }
        return total
    }

    /// One text's loss times `scale`, its gradient times `scale` written into `dlogits` (numLabels each).
    package static func evaluate(
        logits z: UnsafePointer<Float>, label: Int, numLabels: Int, scale: Float,
        dlogits dz: UnsafeMutablePointer<Float>
    ) -> Double {
        if numLabels == 1 {
            // max(x, 0) − x·y + log(1 + e^−|x|) never overflows, unlike log(σ(x)).
            let x = z[0], y = Float(label)
            dz[0] = scale * (1 / (1 + exp(-x)) - y)
            return Double(scale) * Double(max(x, 0) - x * y + log1p(exp(-abs(x))))
        }
        var maximum = -Float.infinity
        for j in 0..<numLabels { maximum = max(maximum, z[j]) }
        var sum: Float = 0
        for j in 0..<numLabels { sum += exp(z[j] - maximum) }
        let logSum = maximum + log(sum)
        for j in 0..<numLabels {
            dz[j] = scale * (exp(z[j] - logSum) - (j == label ? 1 : 0))
        }
        return Double(scale) * Double(logSum - z[label])
    }

    /// The denominator that makes `evaluate` a (weighted) mean over these labels: the sample count,
    /// or the sum of their class weights, as torch's weighted cross-entropy divides.
    package static func denominator(labels: [Int], classWeights: [Float]?) -> Float {
        guard let classWeights else { return Float(labels.count) }
        return labels.reduce(0) { $0 + classWeights[$1] }
    }
}

extension ClassificationLoss {
    /// The (class-weighted) mean loss of per-text logits, as in training but without gradients: the
    /// validation loss.
    package static func mean(logits: [[Float]], labels: [Int], classWeights: [Float]? = nil) -> Double {
        guard let numLabels = logits.first?.count, !labels.isEmpty else { return .nan }
        let flat = logits.flatMap { $0 }
        var scratch = [Float](repeating: 0, count: flat.count)
        return flat.withUnsafeBufferPointer { z in
            scratch.withUnsafeMutableBufferPointer { dz in
                evaluate(
                    logits: z.baseAddress!, labels: labels, numLabels: numLabels, classWeights: classWeights,
                    denominator: denominator(labels: labels, classWeights: classWeights), dlogits: dz.baseAddress!)
            }
        }
    }
}
