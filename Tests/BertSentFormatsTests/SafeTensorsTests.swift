import BertSent
import BertSentTestSupport
import Foundation
import Testing

@Suite struct SafeTensorsTests {
    /// Builds a safetensors file by hand: `entries` are (name, dtype, shape, raw bytes).
    func rawFile(
        _ entries: [(String, String, [Int], [UInt8])], header overrideHeader: String? = nil, trailing: [UInt8] = []
    ) -> Data {
        var offset = 0
        var fields: [String] = []
        var body: [UInt8] = []
        for (name, dtype, shape, bytes) in entries {
            fields.append(
                "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":[\(offset),\(offset + bytes.count)]}"
            )
            offset += bytes.count
            body += bytes
        }
        let header = Array((overrideHeader ?? "{" + fields.joined(separator: ",") + "}").utf8)
        var data = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        data.append(contentsOf: body + trailing)
        return data
    }

    func write(_ data: Data) throws -> URL {
        let url = try temporaryDirectory().appendingPathComponent("model.safetensors")
        try data.write(to: url)
        return url
    }

    func bytes<T>(_ values: [T]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }

    @Test func roundTripsFloat32ThroughTheWriter() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a: [Float] = [1, -2.5, 3e-8, .greatestFiniteMagnitude, 0, 7]
        let b: [Float] = [42]
        let url = dir.appendingPathComponent("t.safetensors")
        try a.withUnsafeBufferPointer { pa in
            try b.withUnsafeBufferPointer { pb in
                try SafeTensorsWriter.write(
                    [
                        .init(name: "z.weight", shape: [2, 3], values: pa),
                        .init(name: "a.bias", shape: [1], values: pb),
                    ], to: url)
            }
        }
        let file = try SafeTensorsFile(url: url)
        #expect(file.tensors["z.weight"]?.shape == [2, 3])
        #expect(try file.floats("z.weight") == a)
        #expect(try file.floats("a.bias") == b)
        #expect(file.metadata == ["format": "pt"])
        #expect(file.names == ["a.bias", "z.weight"])
        let headerLength = try Data(contentsOf: url).prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(headerLength % 8 == 0, "header padded to 8-byte alignment")
    }

    /// The writer streams tensors into a file aside and renames it into place: a rewrite replaces the
    /// old file whole, and a failed write names the file and leaves nothing behind.
    @Test func rewritesReplaceTheFileAndFailuresLeaveNothing() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("t.safetensors")
        for values in [[Float](repeating: 1, count: 1000), [2, 3]] {
            try values.withUnsafeBufferPointer {
                try SafeTensorsWriter.write([.init(name: "w", shape: [$0.count], values: $0)], to: url)
            }
            #expect(try SafeTensorsFile(url: url).floats("w") == values)
        }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["t.safetensors"], "no file left aside")
        let missing = dir.appendingPathComponent("no-such-folder/t.safetensors")
        let error = #expect(throws: FileError.self) {
            try [Float(1)].withUnsafeBufferPointer {
                try SafeTensorsWriter.write([.init(name: "w", shape: [1], values: $0)], to: missing)
            }
        }
        guard case .unwritable(missing.path, _, _)? = error else {
            Issue.record("expected \(missing.path) unwritable, got \(String(describing: error))")
            return
        }
        #expect(error?.description.hasPrefix(missing.path + ": cannot write") == true)
        #expect(throws: FormatError.valueCountMismatch(file: url.path, tensor: "w", values: 1, shape: [2])) {
            try [Float(1)].withUnsafeBufferPointer {
                try SafeTensorsWriter.write([.init(name: "w", shape: [2], values: $0)], to: url)
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["t.safetensors"])
    }

    @Test func readsHalfAndBFloat16AsFloat32() throws {
        let halves: [Float16] = [1.5, -0.25, 65504]
        let bf16: [UInt16] = [0x3FC0, 0xC080]  // 1.5, -4.0
        let url = try write(
            rawFile([
                ("h", "F16", [3], bytes(halves)), ("b", "BF16", [2], bytes(bf16)),
                ("ids", "I64", [2], bytes([Int64(5), -1])),
            ]))
        let file = try SafeTensorsFile(url: url)
        #expect(try file.floats("h") == [1.5, -0.25, 65504])
        #expect(try file.floats("b") == [1.5, -4])
        #expect(try file.integers("ids") == [5, -1])
        #expect(
            throws: FormatError.unsupportedDType(
                file: url.path, tensor: "ids", dtype: .i64, expected: [.f32, .f16, .bf16])
        ) {
            try file.floats("ids")
        }
        #expect(throws: FormatError.unsupportedDType(file: url.path, tensor: "h", dtype: .f16, expected: [.i32, .i64]))
        {
            try file.integers("h")
        }
        #expect(throws: FormatError.missingTensor(file: url.path, tensor: "nope")) { try file.floats("nope") }
        #expect(throws: FormatError.missingTensor(file: url.path, tensor: "nope")) { try file.integers("nope") }
        var two = [Float](repeating: 0, count: 2)
        #expect(throws: FormatError.elementCountMismatch(file: url.path, tensor: "h", count: 3, expected: 2)) {
            try two.withUnsafeMutableBufferPointer { try file.readFloats("h", into: $0) }
        }
    }

    /// Writes `data` and expects opening it to fail with `expected(path)`.
    func expectError(
        _ data: Data, _ expected: (String) -> FormatError, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let url = try write(data)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        #expect(throws: expected(url.path), sourceLocation: sourceLocation) { try SafeTensorsFile(url: url) }
    }

    @Test func rejectsMalformedFiles() throws {
        let four = bytes([Float(1), 2, 3, 4])
        try expectError(Data([1, 2, 3])) { .notSafeTensors(file: $0, size: 3) }
        try expectError(rawFile([], header: "{\"a\":")) { .malformedHeader(file: $0, entry: nil) }
        var huge = Data()
        withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { huge.append(contentsOf: $0) }
        try expectError(huge) { .headerLengthOutOfRange(file: $0, headerLength: 1 << 40, size: 8) }
        let whole = rawFile([("w", "F32", [4], four)])
        try expectError(whole.prefix(whole.count - 3)) { .dataSectionMismatch(file: $0, covered: 16, size: 13) }
        try expectError(rawFile([("w", "F32", [3], four)])) {
            .invalidTensorExtent(file: $0, tensor: "w", dtype: .f32, shape: [3], dataOffsets: [0, 16])
        }
        try expectError(rawFile([("w", "F33", [4], four)])) { .unknownDType(file: $0, tensor: "w", dtype: "F33") }
        try expectError(rawFile([("w", "F32", [4], four)], trailing: [0, 0, 0, 0])) {
            .dataSectionMismatch(file: $0, covered: 16, size: 20)
        }
        try expectError(
            rawFile(
                [], header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", trailing: four + four)
        ) {
            .tensorLayoutGap(file: $0, tensor: "w", start: 4, expected: 0)
        }
        try expectError(rawFile([], header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}")) {
            .malformedHeader(file: $0, entry: "w")
        }
        try expectError(rawFile([], header: "{\"__metadata__\":{\"a\":1}}")) {
            .malformedHeader(file: $0, entry: "__metadata__")
        }
        try expectError(rawFile([], header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}")) {
            .invalidTensorExtent(file: $0, tensor: "w", dtype: .f32, shape: [-1], dataOffsets: [0, 0])
        }
        // The messages keep naming the file and what is wrong.
        let path = "/m/model.safetensors"
        #expect(
            FormatError.invalidTensorExtent(file: path, tensor: "w", dtype: .f32, shape: [3], dataOffsets: [0, 16])
                .description
                == "\(path): tensor 'w': shape [3] of F32 needs 12 bytes but data_offsets span 16")
        #expect(
            FormatError.invalidTensorExtent(file: path, tensor: "w", dtype: .f32, shape: [-1], dataOffsets: [0, 0])
                .description
                == "\(path): tensor 'w' has a negative dimension or reversed data_offsets")
        #expect(
            FormatError.dataSectionMismatch(file: path, covered: 16, size: 13).description
                == "\(path): truncated safetensors file: tensors need 16 data bytes but only 13 are present")
        #expect(
            FormatError.dataSectionMismatch(file: path, covered: 16, size: 20).description
                == "\(path): safetensors data section has 4 trailing bytes not covered by any tensor")
    }

    @Test func missingFileNamesThePath() throws {
        let url = URL(fileURLWithPath: "/nonexistent/model.safetensors")
        let error = #expect(throws: FileError.self) { try SafeTensorsFile(url: url) }
        guard case .unreadable(url.path, _, _)? = error else {
            Issue.record("expected \(url.path) unreadable, got \(String(describing: error))")
            return
        }
        #expect(error?.description.hasPrefix(url.path + ": cannot read") == true)
    }
}
