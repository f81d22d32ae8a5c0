/// out += inp elementwise: a residual connection. Both are (count).
func residualForward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
    parallelChunks(count, minimumPerChunk: 16_384) { range in
        for i in range { out[i] += inp[i] }
    }
}
