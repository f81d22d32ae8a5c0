import Foundation

/// Reads a safetensors file as loading a checkpoint does, for the fuzz target in Fuzz/: in another package, it
/// cannot reach the package-level reader. Not meant for applications, hence the `Fuzzing` SPI.
@_spi(Fuzzing) public enum SafeTensorsInspection {
    /// One tensor as the reader sees it.
    public struct Tensor: Sendable {
        /// Its element type.
        public var dtype: SafeTensorsDType
        /// Its dimensions.
        public var shape: [Int]
        /// The bytes it occupies, as offsets from the start of the file.
        public var fileRange: Range<Int>
        /// Its values, read as floats (F32, F16, BF16) or integers (I32, I64); nil for other dtypes.
        public var values: [Double]?
    }

    /// Opens the safetensors file at `url`, validating its header, and reads every tensor it can.
    /// - Throws: `FormatError` for a malformed file, `FileError` for an unreadable one.
    public static func tensors(inFileAt url: URL) throws -> [String: Tensor] {
        let file = try SafeTensorsFile(url: url)
        return try Dictionary(
            uniqueKeysWithValues: file.tensors.map { name, info in
                let values: [Double]? =
                    switch info.dtype {
                    case .f32, .f16, .bf16: try file.floats(name).map(Double.init)
                    case .i32, .i64: try file.integers(name).map(Double.init)
                    default: nil
                    }
                let start = file.dataStart + info.range.lowerBound
                let tensor = Tensor(
                    dtype: info.dtype, shape: info.shape, fileRange: start..<(start + info.range.count),
                    values: values)
                return (name, tensor)
            })
    }
}
