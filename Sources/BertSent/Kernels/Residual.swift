/// out += inp row by row: a residual connection. out is (N, C) packed; inp's rows are `inputStride`
/// apart (C, or T·C when out holds only each sample's [CLS] row of a (B, T, C) input).
func residualForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, rows: Int, channels: Int, inputStride: Int) {
    parallelChunks(rows, minimumPerChunk: 64) { range in
        for row in range {
            let o = out + row * channels, x = inp + row * inputStride
            for i in 0..<channels { o[i] += x[i] }
        }
    }
}

/// The residual's backward: the gradient of its input gets the output's gradient added, row by row
/// with the same strides as the forward (dinp's rows `inputStride` apart).
func residualBackward(dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, rows: Int, channels: Int, inputStride: Int) {
    parallelChunks(rows, minimumPerChunk: 64) { range in
        for row in range {
            let d = dinp + row * inputStride, g = dout + row * channels
            for i in 0..<channels { d[i] += g[i] }
        }
    }
}
