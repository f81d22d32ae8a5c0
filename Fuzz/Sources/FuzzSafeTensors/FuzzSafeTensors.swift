@_spi(Fuzzing) import BertSentFormats
import FuzzSupport

// The safetensors reader on any file: it throws a FormatError, or every tensor lies inside the file, spans
// exactly its shape's bytes, the tensors tile the data section, and each readable one reads in full.
//
// Input: the file itself; or, when it starts with `{`, the JSON header up to the first NUL byte and the data
// section after it, the target writing the 8-byte header length (so mutations of the header keep it right).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = UnsafeBufferPointer(start: start, count: count)
    var file = Array(input)
    if input.first == UInt8(ascii: "{") {
        let header = input.prefix { $0 != 0 }
        let length = UInt64(header.count).littleEndian
        file = withUnsafeBytes(of: length) { Array($0) } + header + input.dropFirst(header.count + 1)
    }
    let url = ScratchFiles.write(file, to: "model.safetensors")
    let tensors: [String: SafeTensorsInspection.Tensor]
    do {
        tensors = try SafeTensorsInspection.tensors(inFileAt: url)
    } catch {
        require(error is FormatError, "reading threw \(type(of: error)), not a FormatError: \(error)")
        return 0
    }
    let headerEnd = 8 + Int(file.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    var covered = headerEnd
    for (name, tensor) in tensors.sorted(by: { $0.value.fileRange.lowerBound < $1.value.fileRange.lowerBound }) {
        let range = tensor.fileRange
        require(range.lowerBound == covered, "tensor \(name) at \(range) leaves a gap or overlaps at \(covered)")
        require(range.upperBound <= file.count, "tensor \(name) at \(range) ends past the file's \(file.count) bytes")
        // A zero anywhere makes the tensor empty, however large the other dimensions.
        let (elements, overflow) =
            tensor.shape.contains(0)
            ? (0, false)
            : tensor.shape.reduce((1, false)) { product, dimension in
                let (value, overflow) = product.0.multipliedReportingOverflow(by: dimension)
                return (value, product.1 || overflow)
            }
        require(
            !overflow && range.count == elements &* tensor.dtype.size,
            "tensor \(name) spans \(range.count) bytes for shape \(tensor.shape) of \(tensor.dtype)")
        if let values = tensor.values {
            require(values.count == elements, "tensor \(name) read \(values.count) of \(elements) values")
        }
        covered = range.upperBound
    }
    require(covered == file.count, "the tensors cover \(covered) of the file's \(file.count) bytes")
    return 0
}
