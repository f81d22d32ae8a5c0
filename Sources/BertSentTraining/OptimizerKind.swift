/// The optimizers of torch.optim, over the whole parameter buffer in one loop per tensor.
public enum OptimizerKind: String, Sendable, Codable, CaseIterable {
    /// AdamW: decoupled weight decay (param ← param · (1 − lr·wd)), as HF Trainer's default.
    case adamw
    /// Adam: weight decay as an L2 term added to the gradient, as torch.optim.Adam.
    case adam
}
