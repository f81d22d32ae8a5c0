import BertSentInference
import Foundation

/// The report's summary cards and its tables (per class, confidence, settings), as HTML.
enum ReportTables {
    /// Headline numbers: accuracy, F1, ROC AUC and the number of examples.
    static func cards(_ metrics: ClassificationMetrics) -> String {
        let f1Detail = metrics.classes.count == 2 ? "of class “\(metrics.classes[1])”" : "macro average"
        let cards = [
            ("Accuracy", percent(metrics.accuracy), "\(correctCount(metrics)) of \(metrics.count) correct"),
            ("F1", String(format: "%.3f", metrics.f1), f1Detail),
            (
                "ROC AUC", metrics.rocAUC.map { String(format: "%.3f", $0) } ?? "—",
                metrics.rocAUC == nil
                    ? "undefined: a class has no examples"
                    : metrics.classes.count == 2 ? "P(\(metrics.classes[1]))" : "macro one-vs-rest"
            ),
            ("Examples", "\(metrics.count)", "\(metrics.classes.count) classes"),
        ]
        return #"<section class="cards">"#
            + cards.map { label, value, detail in
                #"<div class="card"><div class="label">\#(label)</div><div class="value">\#(value)</div><div class="detail">\#(ReportHTML.escape(detail))</div></div>"#
            }.joined() + "</section>"
    }

    /// Precision, recall, F1 and support per class, then the macro and weighted averages.
    static func perClass(_ metrics: ClassificationMetrics) -> String {
        func row(
            _ name: String, _ precision: Double, _ recall: Double, _ f1: Double, _ support: Int, emphasis: Bool = false
        ) -> String {
            let cell = emphasis ? "th" : "td"
            return "<tr><\(cell)>\(ReportHTML.escape(name))</\(cell)>"
                + [precision, recall, f1].map {
                    #"<td class="number">\#(String(format: "%.3f", $0))</td>"#
                }.joined() + #"<td class="number">\#(support)</td></tr>"#
        }
        let classes = metrics.perClass.map { row($0.name, $0.precision, $0.recall, $0.f1, $0.support) }
        let averages = [("macro average", metrics.macro), ("weighted average", metrics.weighted)].map {
            row($0, $1.precision, $1.recall, $1.f1, metrics.count, emphasis: true)
        }
        return """
            <table>
            <thead><tr><th>class</th><th class="number">precision</th><th class="number">recall</th><th class="number">F1</th><th class="number">support</th></tr></thead>
            <tbody>
            \((classes + averages).joined(separator: "\n"))
            </tbody>
            </table>
            """
    }

    /// How confident the model was when right and when wrong, and how many mistakes were confident.
    static func confidenceSummary(_ examples: [ScoredExample]) -> String {
        let right = examples.filter(\.isCorrect).map { Double($0.confidence) }
        let wrong = examples.filter { !$0.isCorrect }.map { Double($0.confidence) }
        func mean(_ values: [Double]) -> String {
            values.isEmpty ? "—" : String(format: "%.3f", values.reduce(0, +) / Double(values.count))
        }
        let sure = wrong.filter { $0 >= 0.9 }.count
        let rows = [
            ("mean confidence when right", mean(right)),
            ("mean confidence when wrong", mean(wrong)),
            ("mistakes with confidence ≥ 0.9", "\(sure) of \(wrong.count)"),
        ]
        return "<table>\n<tbody>\n"
            + rows.map {
                #"<tr><td>\#($0)</td><td class="number">\#($1)</td></tr>"#
            }.joined(separator: "\n") + "\n</tbody>\n</table>"
    }

    /// The run settings as name/value rows, or a note when none were given.
    static func settings(_ settings: [ReportInput.Setting], modelDescription: String) -> String {
        let rows = [ReportInput.Setting("model", modelDescription)] + settings
        return "<table>\n<tbody>\n"
            + rows.map {
                "<tr><th>\(ReportHTML.escape($0.name))</th><td>\(ReportHTML.escape($0.value))</td></tr>"
            }.joined(separator: "\n") + "\n</tbody>\n</table>"
    }

    static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction * 100)
    }

    private static func correctCount(_ metrics: ClassificationMetrics) -> Int {
        metrics.confusion.indices.map { metrics.confusion[$0][$0] }.reduce(0, +)
    }
}
