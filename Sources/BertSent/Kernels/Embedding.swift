/// out[b, t] = word[ids[b, t]] + position[t] + tokenType[typeIds[b, t]].
/// ids and typeIds are (B, T); word is (V, C); position is (P ≥ T, C); tokenType is (TV, C); out is (B, T, C).
/// Ids are validated when the batch is built, so they are in range here.
func embeddingForward(
    out: UnsafeMutablePointer<Float>, ids: UnsafePointer<Int32>, typeIds: UnsafePointer<Int32>,
    word: UnsafePointer<Float>, position: UnsafePointer<Float>, tokenType: UnsafePointer<Float>,
    batch: Int, seq: Int, channels: Int
) {
    parallelChunks(batch * seq) { rows in
        for row in rows {
            let w = word + Int(ids[row]) * channels
            let p = position + (row % seq) * channels
            let t = tokenType + Int(typeIds[row]) * channels
            let o = out + row * channels
            for i in 0..<channels { o[i] = w[i] + p[i] + t[i] }
        }
    }
}
