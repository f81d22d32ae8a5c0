/// out[b, t] = word[ids[b, t]] + position[t] + tokenType[typeIds[b, t]] (no token-type term when
/// tokenType is nil, as in DistilBERT). ids and typeIds are (B, T); word is (V, C); position is (P ≥ T, C);
/// tokenType is (TV, C); out is (B, T, C). Ids are validated when the batch is built, so they are in range here.
package func embeddingForward(
    out: UnsafeMutablePointer<Float>, ids: UnsafePointer<Int32>, typeIds: UnsafePointer<Int32>,
    word: UnsafePointer<Float>, position: UnsafePointer<Float>, tokenType: UnsafePointer<Float>?,
    batch: Int, seq: Int, channels: Int
) {
    parallelChunks(batch * seq) { rows in
        for row in rows {
            let w = word + Int(ids[row]) * channels
            let p = position + (row % seq) * channels
            let o = out + row * channels
            if let tokenType {
                let t = tokenType + Int(typeIds[row]) * channels
                for i in 0..<channels { o[i] = w[i] + p[i] + t[i] }
            } else {
                for i in 0..<channels { o[i] = w[i] + p[i] }
            }
        }
    }
}

/// Gradients of `embeddingForward`: each row of dout is added to the word, position and token-type
/// rows it came from; the padding token's word row gets none (torch's `padding_idx`). Serial, because
/// different tokens may share a row.
package func embeddingBackward(
    dword: UnsafeMutablePointer<Float>, dposition: UnsafeMutablePointer<Float>,
    dtokenType: UnsafeMutablePointer<Float>?,
    dout: UnsafePointer<Float>, ids: UnsafePointer<Int32>, typeIds: UnsafePointer<Int32>, padId: Int32,
    batch: Int, seq: Int, channels: Int
) {
    for row in 0..<(batch * seq) {
        let d = dout + row * channels
        let p = dposition + (row % seq) * channels
        for i in 0..<channels { p[i] += d[i] }
        if let dtokenType {
            let t = dtokenType + Int(typeIds[row]) * channels
            for i in 0..<channels { t[i] += d[i] }
        }
        guard ids[row] != padId else { continue }
        let w = dword + Int(ids[row]) * channels
        for i in 0..<channels { w[i] += d[i] }
    }
}
