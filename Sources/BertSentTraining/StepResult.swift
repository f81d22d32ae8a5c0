/// What one optimizer update did.
package struct StepResult: Sendable, Equatable, Codable {
    /// Updates taken, this one included.
    package var step: Int
    /// Mean loss over the global batch, before the update.
    package var loss: Double
    /// The learning rate this update used.
    package var learningRate: Double
    /// Global gradient norm before clipping.
    package var gradientNorm: Float
    /// Seconds spent summing over the ranks; nil for one process.
    package var allReduceSeconds: Double? = nil
}
