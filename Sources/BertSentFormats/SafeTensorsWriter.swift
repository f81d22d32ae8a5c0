import BertSentCore
import Foundation

/// Writes Float32 tensors as a safetensors file the way the reference writer lays it out: the JSON
/// header padded with spaces to 8-byte alignment, tensors in name order. The file appears atomically
/// (written aside, then renamed), so a failed write never leaves half a checkpoint. Tensors are written
/// straight from their buffers: a checkpoint's 180 MB of Adam moments are not copied into memory first.
package enum SafeTensorsWriter {
    /// A tensor to write: its name, shape and row-major values.
    package struct Tensor {
        package var name: String
        package var shape: [Int]
        package var values: UnsafeBufferPointer<Float>

        package init(name: String, shape: [Int], values: UnsafeBufferPointer<Float>) {
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    package static func write(_ tensors: [Tensor], metadata: [String: String] = ["format": "pt"], to url: URL) throws {
        let sorted = tensors.sorted { $0.name < $1.name }
        for tensor in sorted where tensor.shape.reduce(1, *) != tensor.values.count {
            throw FormatError.valueCountMismatch(
                file: url.path, tensor: tensor.name, values: tensor.values.count, shape: tensor.shape)
        }
        var header = "{"
        if !metadata.isEmpty {
            header +=
                "\"__metadata__\":"
                + jsonObject(metadata.sorted { $0.key < $1.key }.map { (jsonString($0.key), jsonString($0.value)) })
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

        var prefix = Data()
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { prefix.append(contentsOf: $0) }
        prefix.append(contentsOf: headerBytes)
        let aside = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            guard FileManager.default.createFile(atPath: aside.path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission)
            }
            let handle = try FileHandle(forWritingTo: aside)
            do {
                try handle.write(contentsOf: prefix)
                for tensor in sorted where !tensor.values.isEmpty {
                    // safetensors is little-endian, as is every platform Swift runs this on.
                    let bytes = UnsafeMutableRawPointer(mutating: tensor.values.baseAddress!)
                    try handle.write(
                        contentsOf: Data(bytesNoCopy: bytes, count: 4 * tensor.values.count, deallocator: .none))
                }
            } catch {
                try? handle.close()
                throw error
            }
            try handle.close()
            guard rename(aside.path, url.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(at: aside)
            throw FileError.unwritable(path: url.path, what: "the file", reason: FileError.reason(error))
        }
    }

    private static func jsonObject(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\($0.0):\($0.1)" }.joined(separator: ",") + "}"
    }

    private static func jsonString(_ value: String) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: [value], options: [.withoutEscapingSlashes]))
            ?? Data("[\"\"]".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
