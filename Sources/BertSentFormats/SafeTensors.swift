import BertSentCore
import Foundation

/// Element types a safetensors file may hold (safetensors `Dtype`).
public enum SafeTensorsDType: String, Sendable, CaseIterable {
    case bool = "BOOL"
    case u8 = "U8"
    case i8 = "I8"
    case f8e5m2 = "F8_E5M2"
    case f8e4m3 = "F8_E4M3"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3: 1
        case .i16, .u16, .f16, .bf16: 2
        case .i32, .u32, .f32: 4
        case .f64, .i64, .u64: 8
        }
    }
}

/// One tensor's entry in a safetensors header.
package struct SafeTensorInfo: Sendable, Equatable {
    package var dtype: SafeTensorsDType
    package var shape: [Int]
    /// Byte range inside the data section (after the 8-byte length and the header).
    package var range: Range<Int>
    package var elementCount: Int { shape.reduce(1, *) }
}

/// A memory-mapped safetensors file: an 8-byte little-endian header length N, N bytes of JSON
/// `{name: {dtype, shape, data_offsets}}`, then the raw little-endian tensor bytes.
/// The header is validated when the file is opened, so reads cannot go out of bounds.
package struct SafeTensorsFile: Sendable {
    /// Header larger than this is refused, as the safetensors library does.
    static let maxHeaderSize = 100_000_000

    package let url: URL
    package let tensors: [String: SafeTensorInfo]
    package let metadata: [String: String]
    private let data: Data
    /// Where the data section starts: after the 8-byte header length and the header.
    package let dataStart: Int

    /// Maps `url` and validates its header.
    package init(url: URL) throws {
        let path = url.path
        self.url = url
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw FileError.unreadable(path: path, what: "the file", reason: FileError.reason(error))
        }
        guard data.count >= 8 else {
            throw FormatError.notSafeTensors(file: path, size: data.count)
        }
        let headerSize = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
        }
        guard headerSize <= UInt64(Self.maxHeaderSize), 8 + Int(headerSize) <= data.count else {
            throw FormatError.headerLengthOutOfRange(file: path, headerLength: headerSize, size: data.count)
        }
        dataStart = 8 + Int(headerSize)
        let header = try Self.parseHeader(data.subdata(in: 8..<dataStart), file: path)
        tensors = header.tensors
        metadata = header.metadata
        try Self.validateLayout(tensors, dataSize: data.count - dataStart, file: path)
    }

    /// Tensor names in file order.
    package var names: [String] {
        tensors.keys.sorted { tensors[$0]!.range.lowerBound < tensors[$1]!.range.lowerBound }
    }

    /// Copies tensor `name` into `destination` as Float32, converting F16 and BF16. The mapping's pages
    /// it read are then released (they stay in the page cache): kept mapped, they would count every
    /// loaded checkpoint twice in the process's resident memory, once as file pages and once as the
    /// parameters copied out of them.
    package func readFloats(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws {
        guard let info = tensors[name] else {
            throw FormatError.missingTensor(file: url.path, tensor: name)
        }
        guard destination.count == info.elementCount else {
            throw FormatError.elementCountMismatch(
                file: url.path, tensor: name, count: info.elementCount, expected: destination.count)
        }
        try data.withUnsafeBytes { raw in
            let bytes = UnsafeRawBufferPointer(
                rebasing: raw[(dataStart + info.range.lowerBound)..<(dataStart + info.range.upperBound)])
            switch info.dtype {
            case .f32:
                for i in 0..<info.elementCount {
                    destination[i] = Float(
                        bitPattern: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian)
                }
            case .f16:
                for i in 0..<info.elementCount {
                    destination[i] = Float(
                        Float16(bitPattern: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian))
                }
            case .bf16:
                for i in 0..<info.elementCount {
                    let bits = UInt32(bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian) << 16
                    destination[i] = Float(bitPattern: bits)
                }
            default:
                throw FormatError.unsupportedDType(
                    file: url.path, tensor: name, dtype: info.dtype, expected: [.f32, .f16, .bf16])
            }
            // Drop the copied tensor's pages from this private, read-only file mapping (a later read maps
            // them again from the page cache); tensors under a page are left, as their page is shared.
            if bytes.count >= MemoryPages.size { MemoryPages.release(bytes, partialPages: true) }
        }
    }

    /// Tensor `name` as a new Float32 array.
    package func floats(_ name: String) throws -> [Float] {
        let count = tensors[name]?.elementCount ?? 0
        var result = [Float](repeating: 0, count: count)
        try result.withUnsafeMutableBufferPointer { try readFloats(name, into: $0) }
        return result
    }

    /// Integer tensor `name` (I32 or I64) as Int values; fixtures store token ids this way.
    package func integers(_ name: String) throws -> [Int] {
        guard let info = tensors[name] else { throw FormatError.missingTensor(file: url.path, tensor: name) }
        return try data.withUnsafeBytes { raw in
            let base = dataStart + info.range.lowerBound
            switch info.dtype {
            case .i32:
                return (0..<info.elementCount).map {
                    Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: base + 4 * $0, as: Int32.self)))
                }
            case .i64:
                return (0..<info.elementCount).map {
                    Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 8 * $0, as: Int64.self)))
                }
            default:
                throw FormatError.unsupportedDType(
                    file: url.path, tensor: name, dtype: info.dtype, expected: [.i32, .i64])
            }
        }
    }

    private static func parseHeader(_ json: Data, file: String) throws -> (
        tensors: [String: SafeTensorInfo], metadata: [String: String]
    ) {
        guard let object = try? JSONSerialization.jsonObject(with: json), let entries = object as? [String: Any] else {
            throw FormatError.malformedHeader(file: file, entry: nil)
        }
        var tensors: [String: SafeTensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let map = value as? [String: String] else {
                    throw FormatError.malformedHeader(file: file, entry: name)
                }
                metadata = map
                continue
            }
            guard let entry = value as? [String: Any],
                let dtypeName = entry["dtype"] as? String,
                let shape = entry["shape"] as? [Int],
                let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else {
                throw FormatError.malformedHeader(file: file, entry: name)
            }
            guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
                throw FormatError.unknownDType(file: file, tensor: name, dtype: dtypeName)
            }
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw FormatError.invalidTensorExtent(
                    file: file, tensor: name, dtype: dtype, shape: shape, dataOffsets: offsets)
            }
            // The shape comes from the file: a product that overflows is a malformed header (as the safetensors
            // library's checked multiplication makes it), not a trap.
            let bytes = shape.reduce(Optional(dtype.size)) { product, dimension in
                product.flatMap { product in
                    let (value, overflow) = product.multipliedReportingOverflow(by: dimension)
                    return overflow ? nil : value
                }
            }
            guard let bytes, bytes == offsets[1] - offsets[0] else {
                throw FormatError.invalidTensorExtent(
                    file: file, tensor: name, dtype: dtype, shape: shape, dataOffsets: offsets)
            }
            tensors[name] = SafeTensorInfo(dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
        }
        return (tensors, metadata)
    }

    /// The tensors must tile the data section exactly: contiguous from 0, no gaps or overlaps, ending at its end.
    private static func validateLayout(_ tensors: [String: SafeTensorInfo], dataSize: Int, file: String) throws {
        var expected = 0
        for (name, info) in tensors.sorted(by: {
            ($0.value.range.lowerBound, $0.value.range.upperBound) < (
                $1.value.range.lowerBound, $1.value.range.upperBound
            )
        }) {
            guard info.range.lowerBound == expected else {
                throw FormatError.tensorLayoutGap(
                    file: file, tensor: name, start: info.range.lowerBound, expected: expected)
            }
            expected = info.range.upperBound
        }
        guard expected == dataSize else {
            throw FormatError.dataSectionMismatch(file: file, covered: expected, size: dataSize)
        }
    }
}
