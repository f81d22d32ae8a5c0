/// The arithmetic of the encoder's linear layers at inference.
public enum InferencePrecision: String, Sendable, Codable, CaseIterable {
    /// Every product in FP32, as in training (the default).
    case fp32
    /// Query, key, value, attention output, intermediate and output weights and their inputs rounded to
    /// bf16 (8 significant bits, nearest even), products summed in FP32: about twice the FP32 rate on
    /// CPUs with AVX-512 BF16, at a small cost in accuracy (see README's performance section).
    /// Embeddings, LayerNorm, GELU, attention's per-head products, softmax, pooler and classifier stay FP32.
    case bf16
}
