import Foundation

/// `model.safetensors.index.json`: which shard files hold the weights of a sharded checkpoint.
enum HubShardIndex {
    /// The distinct shard file names of the index at `url`, in first-seen order.
    static func shardNames(indexAt url: URL) throws -> [String] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw BertSentError("cannot read the shard index: \(error.localizedDescription)", file: url.path)
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let map = object["weight_map"] as? [String: String]
        else { throw BertSentError("field 'weight_map' (tensor → shard file) is missing or malformed", file: url.path) }
        var seen = Set<String>()
        let names = map.keys.sorted().compactMap { map[$0] }.filter { seen.insert($0).inserted }
        // Shard names come from the network; a path outside the snapshot must not be written.
        for name in names where name.contains("..") || name.hasPrefix("/") || name.isEmpty {
            throw BertSentError("field 'weight_map' names an unsafe shard path '\(name)'", file: url.path)
        }
        return names
    }
}
