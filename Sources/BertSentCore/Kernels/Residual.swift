/// A residual connection's backward (its forward is folded into `layerNormForward`): the gradient of
/// its input gets the output's gradient added, row by row (dinp's rows `inputStride` apart).
package func residualBackward(
    dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, rows: Int, channels: Int, inputStride: Int
) {
    parallelChunks(rows, minimumPerChunk: 64) { range in
        for row in range {
            let d = dinp + row * inputStride, g = dout + row * channels
            for i in 0..<channels { d[i] += g[i] }
        }
    }
}
