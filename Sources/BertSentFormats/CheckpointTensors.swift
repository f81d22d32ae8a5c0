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

    package func file(for key: String) -> SafeTensorsFile? { fileForKey[key] }

    /// The checkpoint key holding the parameter `name`: the name itself, without the `bert.` prefix
    /// (bare `BertModel` checkpoints), and with the legacy `LayerNorm.gamma`/`beta` names.
    package func key(for name: String) -> String? {
        var candidates = [name]
        if name.hasPrefix("bert.") { candidates.append(String(name.dropFirst(5))) }
        for candidate in candidates where candidate.contains("LayerNorm.") {
            candidates.append(
                candidate.replacingOccurrences(of: "LayerNorm.weight", with: "LayerNorm.gamma")
                    .replacingOccurrences(of: "LayerNorm.bias", with: "LayerNorm.beta"))
        }
        return candidates.first { fileForKey[$0] != nil }
    }
}
