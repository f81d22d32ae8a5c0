import BertSentCore
import BertSentModel
import CKernels
import Foundation

/// Adam/AdamW with torch's semantics: bias-corrected moments, ε added after the square root, weight
/// decay only for tensors whose `TensorSpec.decays` (not biases, not LayerNorm weights); with layer-wise
/// decay, each tensor's rate is the schedule's times decay^`ParameterLayout.depth(of:)` (the head at the full rate,
/// each encoder layer below at the rate of the one above times the factor, the embeddings lowest).
package final class Optimizer {
    package let kind: OptimizerKind
    package let beta1: Float
    package let beta2: Float
    package let epsilon: Float
    package let weightDecay: Float
    /// The factor between the learning rates of neighbouring layers (1: every tensor at the same rate).
    package let layerwiseDecay: Float
    /// First and second moments, laid out as the parameters.
    package let m: FloatBuffer
    package let v: FloatBuffer
    /// Updates taken so far.
    package internal(set) var step = 0

    package init(
        kind: OptimizerKind, layout: ParameterLayout, weightDecay: Float, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-8, layerwiseDecay: Float = 1
    ) throws {
        self.layerwiseDecay = layerwiseDecay
        self.kind = kind
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        m = try FloatBuffer(count: layout.count)
        v = try FloatBuffer(count: layout.count)
    }

    /// One update of `parameters` from `grads` × `gradScale` (the clipping factor) at learning rate `lr`.
    /// Consumes the gradients: they are left zero, ready for the next step's accumulation.
    package func update(
        parameters: FloatBuffer, grads: FloatBuffer, gradScale: Float, layout: ParameterLayout, lr: Float
    ) {
        step += 1
        // In double, as torch computes these scalars in Python.
        let correction2Root = Float((1 - pow(Double(beta2), Double(step))).squareRoot())
        let (param, grad, m, v) = (parameters.pointer, grads.pointer, self.m.pointer, self.v.pointer)
        for spec in layout.tensors {
            let lr =
                layerwiseDecay == 1
                ? lr : Float(Double(lr) * pow(Double(layerwiseDecay), Double(layout.depth(of: spec))))
            let stepSize = Float(Double(lr) / (1 - pow(Double(beta1), Double(step))))
            let decay = spec.decays ? weightDecay : 0
            parallelChunks(spec.count, minimumPerChunk: 32_768) { range in
                let i = spec.offset + range.lowerBound
                bs_adam_update(
                    KernelSet.elementwiseLevel,
                    param + i, grad + i, m + i, v + i, range.count, gradScale, lr, decay, beta1, beta2, epsilon,
                    stepSize, correction2Root, kind == .adamw ? 1 : 0)
            }
        }
    }
}

/// Global gradient-norm clipping as torch's `clip_grad_norm_`: the norm before clipping and the factor
/// every gradient is scaled by, maxNorm / (norm + 1e-6) when that is below 1 (and maxNorm > 0), else 1.
/// The optimizer applies the factor as it reads the gradients.
func gradientClipping(_ grads: FloatBuffer, layout: ParameterLayout, maxNorm: Float) -> (norm: Float, scale: Float) {
    let sum = layout.tensors.reduce(0.0) {
        $0 + bs_sum_squares(KernelSet.elementwiseLevel, grads.pointer + $1.offset, $1.count)
    }
    let norm = Float(sum.squareRoot())
    guard maxNorm > 0, norm.isFinite else { return (norm, 1) }
    return (norm, min(1, maxNorm / (norm + 1e-6)))
}
