/// What one optimizer update did.
public struct StepResult: Sendable, Equatable, Codable {
    /// Updates taken, this one included.
    public var step: Int
    /// Mean loss over the global batch, before the update.
    public var loss: Double
    /// The learning rate this update used.
    public var learningRate: Double
    /// Global gradient norm before clipping.
    public var gradientNorm: Float
}
