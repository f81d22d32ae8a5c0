import BertSentInference
import Foundation

/// The mistakes the model was most sure of, as an HTML table: where to look first for label noise or
/// a blind spot.
enum MistakesTable {
    static let title = "Most confident mistakes"
    /// Characters of a review shown in the table; the full text is in the cell's hover title.
    static let excerptLength = 240
    static let hoverLength = 2000

    /// The `limit` wrong predictions with the highest confidence (ties keep input order), or a note
    /// when there are none.
    static func html(_ examples: [ScoredExample], classes: [String], limit: Int = 10) -> String {
        let mistakes = examples.enumerated().filter { !$0.element.isCorrect }
            .sorted { ($0.element.confidence, $1.offset) > ($1.element.confidence, $0.offset) }
            .prefix(limit)
        guard !mistakes.isEmpty else {
            return
                #"<p class="note">No mistakes: every one of the \#(examples.count) examples was classified correctly.</p>"#
        }
        func name(_ index: Int) -> String {
            ReportHTML.escape(classes.indices.contains(index) ? classes[index] : "class \(index)")
        }
        let rows = mistakes.enumerated().map { rank, item in
            let example = item.element
            let trueProbability =
                example.probabilities.indices.contains(example.label) ? example.probabilities[example.label] : 0
            return """
                <tr><td class="number">\(rank + 1)</td>\
                <td class="text" title="\(ReportHTML.escape(ReportHTML.excerpt(example.text, limit: hoverLength)))">\(ReportHTML.escape(ReportHTML.excerpt(example.text, limit: excerptLength)))</td>\
                <td><span class="badge">\(name(example.label))</span></td>\
                <td><span class="badge wrong">\(name(example.predicted))</span></td>\
                <td class="number">\(String(format: "%.3f", example.confidence))</td>\
                <td class="number">\(String(format: "%.3f", trueProbability))</td></tr>
                """
        }
        return """
            <table class="mistakes">
            <thead><tr><th class="number">#</th><th>text</th><th>true</th><th>predicted</th><th class="number">confidence</th><th class="number">P(true)</th></tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody>
            </table>
            """
    }
}
