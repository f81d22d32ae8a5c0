/// The arithmetic of the encoder's linear layers: fp32 and bf16 in training and inference, int8 in inference.
public enum Precision: String, Sendable, Codable, CaseIterable {
    /// Every product in FP32 (the default).
    case fp32
    /// Query, key, value, attention output, intermediate and output products with both operands
    /// rounded to bf16 (8 significant bits, nearest even) and sums in FP32: about twice the FP32 rate on
    /// CPUs with AVX-512 BF16 or Arm's BF16, at a small cost in accuracy (see README's performance section); other CPUs
    /// multiply the same rounded operands in FP32 (`Bf16Kernel.widened`), no faster than FP32. Weights, gradients and optimizer state stay FP32 (mixed precision): training
    /// rounds the products' operands in the forward and backward passes alike. Embeddings, LayerNorm,
    /// GELU, attention's per-head products, softmax, pooler and classifier stay FP32.
    case bf16
    /// Inference only: the same products on int8 operands with int32 sums (dynamic quantisation, as
    /// PyTorch's `quantize_dynamic`): each weight's output feature quantised symmetrically once, each
    /// input row (token) at run time, on the int8 kernel of the CPU's instruction set (`Int8Kernel`, all
    /// giving the same outputs); about twice the bf16 rate on CPUs with AVX-512 VNNI, at a larger cost in
    /// accuracy than bf16 (see README's performance section).
    case int8
}
