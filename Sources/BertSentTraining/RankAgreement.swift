import BertSentCore
import Foundation

/// Before the first step under mpirun: every rank must have been started with rank 0's data and settings,
/// or their "identical" updates would silently drift apart. Rank 0 compares what each rank has and every
/// rank throws the same error naming the first rank that differs and how.
enum RankAgreement {
    static func check(group: ProcessGroup, state: TrainerState, validationFingerprint: String) throws {
        guard group.size > 1 else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let mine: [String: String] =
            [
                "training data": state.dataFingerprint, "validation data": validationFingerprint,
                "classes": state.classes.joined(separator: ","), "step": String(state.globalStep),
            ].merging(try settings(state.arguments)) { a, _ in a }
        let gathered = try group.gather(try encoder.encode(mine))
        var verdict = Data()
        if let gathered {
            let all = try gathered.map { try JSONDecoder().decode([String: String].self, from: $0) }
            if let rank = all.indices.dropFirst().first(where: { all[$0] != all[0] }) {
                let names = Set(all[0].keys).union(all[rank].keys).sorted().filter { all[0][$0] != all[rank][$0] }
                let differences = names.map {
                    "\($0) is \(all[0][$0] ?? "unset") on rank 0, \(all[rank][$0] ?? "unset") on rank \(rank)"
                }
                verdict = try encoder.encode(Disagreement(rank: rank, differences: differences))
            }
        }
        let shared = try group.broadcast(verdict)
        if !shared.isEmpty {
            let disagreement = try JSONDecoder().decode(Disagreement.self, from: shared)
            throw TrainingError.ranksDisagree(rank: disagreement.rank, differences: disagreement.differences)
        }
    }

    /// Each setting by its snake_case name, as text.
    private static func settings(_ arguments: TrainingArguments) throws -> [String: String] {
        let object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(arguments)) as? [String: Any]
        return (object ?? [:]).mapValues { "\($0)" }
    }

    private struct Disagreement: Codable {
        let rank: Int
        let differences: [String]
    }
}
