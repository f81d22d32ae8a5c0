extension BertTokenizer {
    /// Turns ids back into text as Hugging Face `decode` does for the loaded flavor: `.slow` joins the tokens
    /// with spaces, glues `##` pieces and applies `clean_up_tokenization_spaces` to the whole string; `.fast`
    /// uses the `WordPiece` decoder, which cleans each token on its own (so "isn ' t" stays apart).
    public func decode(_ ids: [Int32], skipSpecialTokens: Bool = true) -> String {
        let kept = ids.filter { !(skipSpecialTokens && isSpecial($0)) }
        switch options.flavor {
        case .slow:
            let tokens = kept.map { idToToken($0) ?? options.unknownToken }
            let glued = tokens.joined(separator: " ")
                .replacingAll(" " + options.continuingSubwordPrefix, with: "")
                .trimmingPythonWhitespace()
            return Self.cleanUpTokenizationSpaces(glued)
        case .fast:
            let prefix = options.continuingSubwordPrefix
            return kept.compactMap(idToToken).enumerated().map { index, token in
                let spaced =
                    index == 0
                    ? token
                    : token.hasPrefix(prefix) ? String(token.dropFirst(prefix.count)) : " " + token
                return Self.cleanUpTokenizationSpaces(spaced, rustDecoder: true)
            }.joined()
        }
    }

    /// `transformers`' `clean_up_tokenization`; the `tokenizers` WordPiece decoder also turns " do not" into
    /// " don't".
    static func cleanUpTokenizationSpaces(_ text: String, rustDecoder: Bool = false) -> String {
        var replacements = [
            (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
            (" 'm", "'m"),
        ]
        if rustDecoder { replacements.append((" do not", " don't")) }
        replacements += [(" 's", "'s"), (" 've", "'ve"), (" 're", "'re")]
        return replacements.reduce(text) { $0.replacingAll($1.0, with: $1.1) }
    }
}

extension String {
    /// Python's `str.replace`: every non-overlapping occurrence, left to right, compared by Unicode scalars
    /// (Swift's `==` on Characters would also match canonically equivalent text).
    func replacingAll(_ target: String, with replacement: String) -> String {
        let target = Array(target.unicodeScalars)
        guard !target.isEmpty, unicodeScalars.count >= target.count else { return self }
        let scalars = Array(unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == target[0], index + target.count <= scalars.count,
                scalars[index..<index + target.count].elementsEqual(target)
            {
                output.append(contentsOf: replacement.unicodeScalars)
                index += target.count
            } else {
                output.append(scalars[index])
                index += 1
            }
        }
        return String(output)
    }

    /// Python's `str.strip()` without arguments.
    func trimmingPythonWhitespace() -> String {
        let scalars = Array(unicodeScalars)
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
        }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[first...last])
        return String(view)
    }
}
