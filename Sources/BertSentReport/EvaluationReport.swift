import BertSentCore
import BertSentInference
import BertSentTraining
import Foundation

/// A self-contained `report.html` for one evaluation: headline numbers, training curves, confusion
/// matrix, ROC curve, confidence histogram, the most confident mistakes and the run settings. Charts are
/// inline SVG and styles inline CSS, so the page renders offline with no other file.
public enum EvaluationReport {
    /// The report page.
    public static func html(_ input: ReportInput) -> String {
        let metrics = input.metrics
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(ReportHTML.escape(input.title))</title>
            <style>
            \(ReportStyle.css)
            </style>
            </head>
            <body>
            <main>
            <header>
            <h1>\(ReportHTML.escape(input.title))</h1>
            <p>\(ReportHTML.escape(input.modelDescription))</p>
            </header>
            \(ReportTables.cards(metrics))
            <h2>Training</h2>
            \(trainingSection(input.trainingLog))
            <h2>Evaluation on \(metrics.count) examples</h2>
            <div class="grid">
            \(figure(ConfusionMatrixChart.title, "Rows are true classes, columns predictions; shading and percentages are shares of each row.", ConfusionMatrixChart.svg(metrics)))
            \(RocChart.svg(metrics, examples: input.examples).map { figure(RocChart.title, rocCaption(metrics), $0) }
            ?? note("ROC curve: not shown, because some class has no examples in this set, so the curve is undefined."))
            \(figure(ConfidenceHistogramChart.title, "Probability the model gave its predicted class, for correct predictions and mistakes.", ConfidenceHistogramChart.svg(input.examples, classCount: metrics.classes.count)))
            <div class="panel">
            <h3>Scores per class</h3>
            <div class="caption">Precision, recall and F1 as scikit-learn defines them (0 where undefined).</div>
            \(ReportTables.perClass(metrics))
            <h3 class="spaced">Confidence</h3>
            <div class="caption">A well-calibrated model is less sure of its mistakes than of its right answers.</div>
            \(ReportTables.confidenceSummary(input.examples))
            </div>
            </div>
            <h2>\(MistakesTable.title)</h2>
            <div class="panel">
            <div class="caption">The wrong predictions the model was surest of (at most 10); hover a text to read more of it.</div>
            \(MistakesTable.html(input.examples, classes: metrics.classes))
            </div>
            <h2>Run settings</h2>
            <div class="panel">
            \(ReportTables.settings(input.settings, modelDescription: input.modelDescription))
            </div>
            <footer>Made by bertsent. The same numbers are in metrics.json next to this page.</footer>
            </main>
            </body>
            </html>

            """
    }

    /// Writes `report.html` and `metrics.json` into `directory` (created if needed), as a pair: both are
    /// written aside and renamed into place, so a failed write (a full disk) leaves neither half-written
    /// nor one new beside one old.
    public static func write(_ input: ReportInput, to directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw FileError.unwritable(path: directory.path, what: "the report folder", reason: FileError.reason(error))
        }
        let metricsURL = directory.appendingPathComponent("metrics.json")
        let metrics: Data
        do { metrics = try input.metrics.jsonData() } catch {
            throw FileError.unwritable(path: metricsURL.path, what: "the metrics", reason: "\(error)")
        }
        try FileSync.write(
            [(metricsURL, metrics), (directory.appendingPathComponent("report.html"), Data(html(input).utf8))],
            what: "the report")
    }

    /// The loss and validation charts, or notes saying why they are missing.
    private static func trainingSection(_ log: [TrainingLogEntry]?) -> String {
        guard let log else {
            return note(
                "No training log was given, so the training curves are left out (they are drawn from the run’s log.jsonl)."
            )
        }
        let evaluations = log.filter { $0.kind == .eval }.count
        var parts: [String] = []
        if let loss = LossChart.svg(log) {
            parts.append(figure(LossChart.title, lossCaption(log, evaluations: evaluations), loss))
        } else {
            parts.append(note("The training log has no loss values to plot."))
        }
        if let validation = ValidationMetricsChart.svg(log) {
            let caption =
                evaluations == 1
                ? "Only one evaluation was logged, so each metric is a single point."
                : "Accuracy, precision, recall and F1 on the validation set at each of the \(evaluations) evaluations."
            parts.append(figure(ValidationMetricsChart.title, caption, validation))
        } else {
            parts.append(note("The training log has no validation metrics, so there is no validation chart."))
        }
        return parts.joined(separator: "\n")
    }

    private static func lossCaption(_ log: [TrainingLogEntry], evaluations: Int) -> String {
        let steps = log.filter { $0.kind == .train }.count
        return
            "\(steps) training steps and \(evaluations) evaluation\(evaluations == 1 ? "" : "s"); shaded bands are epochs. "
            + "Steps far outside the usual range are clipped; hover a marker for its value."
    }

    private static func rocCaption(_ metrics: ClassificationMetrics) -> String {
        metrics.classes.count == 2
            ? "True against false positive rate as the threshold on P(\(metrics.classes[1])) falls."
            : "One curve per class against all others (one-vs-rest)."
    }

    private static func figure(_ title: String, _ caption: String, _ svg: String) -> String {
        "<figure>\n<h3>\(ReportHTML.escape(title))</h3>\n<figcaption>\(ReportHTML.escape(caption))</figcaption>\n\(svg)\n</figure>"
    }

    private static func note(_ text: String) -> String {
        #"<p class="note">\#(ReportHTML.escape(text))</p>"#
    }
}
