import Foundation

/// Writes Float32 tensors as a safetensors file the way the reference writer lays it out: the JSON
/// header padded with spaces to 8-byte alignment, tensors in name order. The file appears atomically
/// (written aside, then renamed), so a failed write never leaves half a checkpoint.
public enum SafeTensorsWriter {
    /// A tensor to write: its name, shape and row-major values.
    public struct Tensor {
        public var name: String
        public var shape: [Int]
        public var values: UnsafeBufferPointer<Float>

        public init(name: String, shape: [Int], values: UnsafeBufferPointer<Float>) {
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    public static func write(_ tensors: [Tensor], metadata: [String: String] = ["format": "pt"], to url: URL) throws {
        let sorted = tensors.sorted { $0.name < $1.name }
        for tensor in sorted where tensor.shape.reduce(1, *) != tensor.values.count {
            throw BertSentError("tensor '\(tensor.name)' has \(tensor.values.count) values for shape \(tensor.shape)", file: url.path)
        }
        var header = "{"
        if !metadata.isEmpty {
            header += "\"__metadata__\":" + jsonObject(metadata.sorted { $0.key < $1.key }.map { (jsonString($0.key), jsonString($0.value)) })
        }
        var offset = 0
        for tensor in sorted {
            let end = offset + 4 * tensor.values.count
            let entry = jsonObject([
                ("\"dtype\"", "\"F32\""),
                ("\"shape\"", "[" + tensor.shape.map(String.init).joined(separator: ",") + "]"),
                ("\"data_offsets\"", "[\(offset),\(end)]"),
            ])
            header += (header == "{" ? "" : ",") + jsonString(tensor.name) + ":" + entry
            offset = end
        }
        header += "}"
        var headerBytes = Array(header.utf8)
        headerBytes += Array(repeating: UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8)

        var file = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: headerBytes)
        for tensor in sorted {
            // safetensors is little-endian, as is every platform Swift runs this on.
            file.append(UnsafeBufferPointer(start: tensor.values.baseAddress, count: tensor.values.count))
        }
        do {
            try file.write(to: url, options: .atomic)
        } catch {
            throw BertSentError("cannot write the file (\(SafeTensorsFile.reason(error)))", file: url.path)
        }
    }

    private static func jsonObject(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\($0.0):\($0.1)" }.joined(separator: ",") + "}"
    }

    private static func jsonString(_ value: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [value], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
