import BertSentCore
import Foundation

/// `model.safetensors.index.json` (transformers' `SAFE_WEIGHTS_INDEX_NAME`): which shard file holds each
/// tensor of a sharded checkpoint. Read both when loading a folder and when downloading a repo.
package struct SafeTensorsIndex {
    package static let fileName = "model.safetensors.index.json"

    /// Tensor name → shard file name.
    let weightMap: [String: String]

    /// Reads and checks the index at `url`.
    package init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FileError.unreadable(path: url.path, what: "the shard index", reason: FileError.reason(error))
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let map = object["weight_map"] as? [String: String]
        else {
            throw FormatError.malformedShardIndex(file: url.path)
        }
        // Shard names may come from the network: only plain names inside the folder are accepted.
        for (key, shard) in map
        where shard.isEmpty || shard.contains("/") || shard.contains("\\") || shard.hasPrefix(".") {
            throw FormatError.invalidShardName(file: url.path, tensor: key, shard: shard)
        }
        weightMap = map
    }

    /// The distinct shard file names, sorted.
    package var shardNames: [String] { Set(weightMap.values).sorted() }
}
