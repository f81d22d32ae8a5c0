import ArgumentParser
import BertSent

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the model's token ids for each text, one JSON line per text.")

    @OptionGroup var model: ModelOption
    @OptionGroup var input: TextInput

    @Option(help: "Truncate to this many tokens, special tokens included.")
    var maxLength = BertTokenizer.defaultMaxLength

    @Option(help: "Pad to the longest text (longest), to --max-length (max_length), or not (none).")
    var padding: Padding = .none

    enum Padding: String, ExpressibleByArgument, CaseIterable {
        case none, longest
        case maxLength = "max_length"
        var strategy: PaddingStrategy { [.none: .doNotPad, .longest: .longest, .maxLength: .maxLength][self]! }
    }

    struct Line: Encodable {
        let input_ids: [Int32]
        let attention_mask: [Int32]
        let token_type_ids: [Int32]
        let tokens: [String]
    }

    func run() throws {
        let tokenizer = try BertTokenizer(directory: model.directory())
        let encodings = try tokenizer.encodeBatch(try input.read(), maxLength: maxLength, padding: padding.strategy)
        for e in encodings {
            try printJSONLine(
                Line(
                    input_ids: e.ids, attention_mask: e.attentionMask, token_type_ids: e.tokenTypeIds, tokens: e.tokens)
            )
        }
    }
}
