import BertSentCore
import Foundation

/// The weight files of a Hugging Face model folder: `model.safetensors`, or the shards named by
/// `model.safetensors.index.json`.
package struct CheckpointTensors {
    package static let singleFile = "model.safetensors"

    private var fileForKey: [String: SafeTensorsFile] = [:]

    package init(directory: URL) throws {
        let fm = FileManager.default
        let single = directory.appendingPathComponent(Self.singleFile)
        let index = directory.appendingPathComponent(SafeTensorsIndex.fileName)
        if fm.fileExists(atPath: single.path) {
            let file = try SafeTensorsFile(url: single)
            for key in file.tensors.keys { fileForKey[key] = file }
        } else if fm.fileExists(atPath: index.path) {
            try loadShards(index: index, directory: directory)
        } else if fm.fileExists(atPath: directory.appendingPathComponent("pytorch_model.bin").path) {
            throw FormatError.unsupportedWeightFormat(folder: directory.path)
        } else {
            throw FormatError.noWeights(folder: directory.path)
        }
    }

    private mutating func loadShards(index: URL, directory: URL) throws {
        var shards: [String: SafeTensorsFile] = [:]
        for (key, shard) in try SafeTensorsIndex(contentsOf: index).weightMap {
            if shards[shard] == nil {
                shards[shard] = try SafeTensorsFile(url: directory.appendingPathComponent(shard))
            }
            guard shards[shard]!.tensors[key] != nil else {
                throw FormatError.tensorMissingFromShard(
                    file: directory.appendingPathComponent(shard).path, tensor: key)
            }
            fileForKey[key] = shards[shard]
        }
    }

    var keys: Set<String> { Set(fileForKey.keys) }

    /// Identifies the weights: the SHA-256 of the one weight file, or of each shard's name and digest, in
    /// name order.
    package func digest() throws -> String {
        let files = Dictionary(fileForKey.values.map { ($0.url.lastPathComponent, $0.url) }) { first, _ in first }
        let digests = try files.keys.sorted().map { name in
            (name, try SHA256Digest.hex(fileAt: files[name]!, what: "the weights"))
        }
        if digests.count == 1 { return digests[0].1 }
        return SHA256Digest.hex(Data(digests.map { "\($0.0) \($0.1)\n" }.joined().utf8))
    }

    package func file(for key: String) -> SafeTensorsFile? { fileForKey[key] }

    /// The checkpoint key holding the parameter `name`: the name itself, without `encoderPrefix` (`bert.`
    /// or `distilbert.`: bare encoder checkpoints, such as `BertModel`'s), and with the legacy
    /// `LayerNorm.gamma`/`beta` names.
    package func key(for name: String, encoderPrefix: String) -> String? {
        var candidates = [name]
        if name.hasPrefix(encoderPrefix) { candidates.append(String(name.dropFirst(encoderPrefix.count))) }
        for candidate in candidates where candidate.contains("LayerNorm.") {
            candidates.append(
                candidate.replacingOccurrences(of: "LayerNorm.weight", with: "LayerNorm.gamma")
                    .replacingOccurrences(of: "LayerNorm.bias", with: "LayerNorm.beta"))
        }
        return candidates.first { fileForKey[$0] != nil }
    }
}
