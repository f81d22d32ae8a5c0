import BertSent
import BertSentTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The report's structure: every chart present (or a note saying why not), SVG that is well-formed XML,
/// escaping, and the files `write` leaves.
@Suite struct EvaluationReportTests {
    static let chartTitles = [
        "Training and validation loss", "Validation metrics per evaluation", "Confusion matrix",
        "ROC curve", "Confidence of predictions",
    ]

    /// Every `<svg>…</svg>` element of the page.
    func svgs(_ html: String) -> [String] {
        var found: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<svg"),
            let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex)
        {
            found.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return found
    }

    /// Whether `xml` parses as XML without error (libxml2 reports some errors without failing `parse`).
    func isWellFormed(_ xml: String) -> Bool {
        let parser = XMLParser(data: Data(xml.utf8))
        return parser.parse() && parser.parserError == nil
    }

    func count(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    @Test func fullReportHasEveryChartAsWellFormedSVG() throws {
        let html = EvaluationReport.html(try EvaluationSamples.input())
        for title in Self.chartTitles { #expect(html.contains("<h3>\(title)</h3>"), "\(title)") }
        let charts = svgs(html)
        #expect(charts.count == 5)
        for svg in charts { #expect(isWellFormed(svg), "\(svg.prefix(200))") }
        #expect(html.contains("Most confident mistakes") && count("<tr><td class=\"number\">", in: html) == 10)
        #expect(
            html.contains("Scores per class") && html.contains("macro average") && html.contains("weighted average"))
        #expect(html.contains("<th>learning rate</th><td>2e-5</td>"))
        #expect(html.contains("epoch 3") && html.contains("moving average"))
        // Nothing to fetch: no scripts, and the only URL is the SVG namespace, which is never loaded.
        let withoutNamespace = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
        #expect(!html.contains("<script") && !withoutNamespace.contains("http") && !html.contains("src="))
    }

    @Test func withoutTrainingLogTheCurvesAreReplacedByANote() throws {
        let html = EvaluationReport.html(try EvaluationSamples.input(log: nil))
        #expect(html.contains("No training log was given"))
        #expect(!html.contains("Training and validation loss") && !html.contains("Validation metrics per evaluation"))
        #expect(svgs(html).count == 3)
        #expect(svgs(html).allSatisfy(isWellFormed))
    }

    @Test func oneEvaluationOnly() throws {
        let log = EvaluationSamples.trainingLog(epochs: 1, stepsPerEpoch: 40)
        let html = EvaluationReport.html(try EvaluationSamples.input(log: log))
        #expect(html.contains("Only one evaluation was logged"))
        #expect(svgs(html).count == 5 && svgs(html).allSatisfy(isWellFormed))
    }

    @Test func tinyLossesUseALogScale() throws {
        // A run of the synthetic-review experiment: training loss from 0.0029 down to 0.0001.
        let log = EvaluationSamples.trainingLog(start: 0.0029, end: 0.0001)
        let html = EvaluationReport.html(try EvaluationSamples.input(log: log))
        #expect(html.contains("loss (log scale)"))
        #expect(html.contains(">0.001<") && html.contains(">0.0001<"))
    }

    @Test func longRunsStaySmall() throws {
        let log = EvaluationSamples.trainingLog(epochs: 2, stepsPerEpoch: 25_000)
        let html = EvaluationReport.html(try EvaluationSamples.input(log: log))
        #expect(html.utf8.count < 300_000)
        #expect(html.contains("epoch 2") && svgs(html).allSatisfy(isWellFormed))
    }

    @Test func logWithoutEvaluationsOrWithBadLosses() throws {
        var log = EvaluationSamples.trainingLog(epochs: 1, stepsPerEpoch: 50).filter { $0.kind == .train }
        log[3].loss = .nan
        log[4].loss = .infinity
        let html = EvaluationReport.html(try EvaluationSamples.input(log: log))
        #expect(html.contains("Training and validation loss"))
        #expect(html.contains("no validation metrics"))
        #expect(!html.contains("nan") && !html.contains("inf\""))
        #expect(svgs(html).count == 4 && svgs(html).allSatisfy(isWellFormed))
        let oneStep = EvaluationReport.html(
            try EvaluationSamples.input(log: [TrainingLogEntry(kind: .train, step: 1, epoch: 0.01, loss: 0.7)]))
        #expect(oneStep.contains("<circle") && svgs(oneStep).count == 4 && svgs(oneStep).allSatisfy(isWellFormed))
        let empty = EvaluationReport.html(try EvaluationSamples.input(log: []))
        #expect(empty.contains("no loss values") && svgs(empty).count == 3)
    }

    @Test func noMistakesIsSaid() throws {
        let examples = (0..<20).map {
            ScoredExample(text: "review \($0)", label: $0 % 2, probabilities: $0 % 2 == 0 ? [0.9, 0.1] : [0.2, 0.8])
        }
        let html = EvaluationReport.html(try EvaluationSamples.input(examples: examples))
        #expect(html.contains("No mistakes: every one of the 20 examples was classified correctly."))
        #expect(html.contains(">1.000<"))
    }

    @Test func markupInLabelsAndTextsIsEscaped() throws {
        let classes = ["<b>neg</b> & \"bad\"", "pos <script>alert(1)</script>"]
        let examples = EvaluationSamples.examples(count: 80) { index, _ in
            "<img src=x onerror=alert(\(index))> 'quoted' & \u{7}bell"
        }
        var input = try EvaluationSamples.input(examples: examples, classes: classes)
        input.title = "Run <1> & \"friends\""
        input.settings = [.init("note <i>", "a & b")]
        let html = EvaluationReport.html(input)
        #expect(
            !html.contains("<script>") && !html.contains("<b>neg") && !html.contains("<img") && !html.contains("<i>"))
        #expect(html.contains("&lt;b&gt;neg&lt;/b&gt; &amp; &quot;bad&quot;"))
        #expect(html.contains("&lt;img src=x onerror=alert("))
        #expect(html.contains("<title>Run &lt;1&gt; &amp; &quot;friends&quot;</title>"))
        #expect(html.contains("<th>note &lt;i&gt;</th><td>a &amp; b</td>"))
        #expect(!html.contains("\u{7}"))
        #expect(svgs(html).count == 5 && svgs(html).allSatisfy(isWellFormed))
    }

    @Test func longTextsAreExcerpted() throws {
        let long = String(repeating: "endless plot ", count: 500)
        let examples = [
            ScoredExample(text: long, label: 0, probabilities: [0.01, 0.99]),
            ScoredExample(text: "fine", label: 1, probabilities: [0.3, 0.7]),
        ]
        let html = EvaluationReport.html(try EvaluationSamples.input(examples: examples))
        let cell = try #require(html.components(separatedBy: "<td class=\"text\"").dropFirst().first)
        let shown = try #require(cell.split(separator: ">", maxSplits: 1).last?.components(separatedBy: "</td>").first)
        #expect(shown.count <= 240 && shown.hasSuffix("…"))
        #expect(html.count < 60_000)
    }

    @Test func threeClassesAndSigmoidStyleProbabilities() throws {
        let examples = (0..<90).map { i -> ScoredExample in
            let label = i % 3
            var p: [Float] = [0.15, 0.15, 0.15]
            p[(label + (i % 7 == 0 ? 1 : 0)) % 3] = 0.7
            return ScoredExample(text: "text \(i)", label: label, probabilities: p)
        }
        let html = EvaluationReport.html(
            try EvaluationSamples.input(examples: examples, classes: ["neg", "neutral", "pos"]))
        #expect(html.contains("neutral vs rest (AUC = "))
        #expect(svgs(html).count == 5 && svgs(html).allSatisfy(isWellFormed))
        // A one-logit model's [1 − σ, σ] rows report two classes like any other.
        let sigmoid = [
            ScoredExample(text: "a", label: 1, probabilities: [1 - 0.731_058_6, 0.731_058_6]),
            ScoredExample(text: "b", label: 0, probabilities: [0.5, 0.5]),
        ]
        let binary = EvaluationReport.html(try EvaluationSamples.input(examples: sigmoid))
        #expect(binary.contains("ROC of positive (AUC = 1.000)"))
    }

    @Test func missingClassOmitsTheRocCurveWithANote() throws {
        let examples = [
            ScoredExample(text: "a", label: 0, probabilities: [0.9, 0.1]),
            ScoredExample(text: "b", label: 0, probabilities: [0.4, 0.6]),
        ]
        let html = EvaluationReport.html(try EvaluationSamples.input(examples: examples))
        #expect(html.contains("ROC curve: not shown"))
        #expect(html.contains("undefined: a class has no examples"))
        #expect(svgs(html).count == 4)
    }

    @Test func writeLeavesReportAndMetrics() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = try EvaluationSamples.input()
        let target = directory.appendingPathComponent("run/eval")
        try EvaluationReport.write(input, to: target)
        let files = try FileManager.default.contentsOfDirectory(atPath: target.path).sorted()
        #expect(files == ["metrics.json", "report.html"])
        let metrics = try ClassificationMetrics(
            jsonData: Data(contentsOf: target.appendingPathComponent("metrics.json")))
        #expect(metrics == input.metrics)
        #expect(
            try String(contentsOf: target.appendingPathComponent("report.html"), encoding: .utf8)
                == EvaluationReport.html(input))
    }

    @Test func writeNamesTheFolderItCannotCreate() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let blocker = directory.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        #expect {
            try EvaluationReport.write(try EvaluationSamples.input(), to: blocker.appendingPathComponent("out"))
        } throws: {
            guard case .unwritable(let path, "the report folder", _) = $0 as? FileError else { return false }
            return path.hasSuffix("file/out")
        }
    }

    /// With BERTSENT_REPORT_PREVIEW=<folder>, writes the sample report there to look at in a browser.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["BERTSENT_REPORT_PREVIEW"] != nil))
    func writePreview() throws {
        let folder = URL(fileURLWithPath: ProcessInfo.processInfo.environment["BERTSENT_REPORT_PREVIEW"]!)
        let variant = ProcessInfo.processInfo.environment["BERTSENT_REPORT_VARIANT"] ?? "full"
        let input: ReportInput
        switch variant {
        case "synthetic":
            // Training loss 0.0029 → 0.0001 and every prediction right, as in a run of the synthetic-review
            // experiment.
            let examples = (0..<600).map {
                ScoredExample(
                    text: "review \($0)", label: $0 % 2, probabilities: $0 % 2 == 0 ? [0.999, 0.001] : [0.002, 0.998])
            }
            input = try EvaluationSamples.input(
                log: EvaluationSamples.trainingLog(start: 0.0029, end: 0.0001), examples: examples)
        case "three-class":
            let examples = EvaluationSamples.examples().enumerated().map { index, example in
                let neutral = index % 5 == 0
                let p = example.probabilities
                return ScoredExample(
                    text: example.text, label: neutral ? 1 : example.label * 2,
                    probabilities: neutral ? [p[0] * 0.3, 0.7, p[1] * 0.3] : [p[0] * 0.9, 0.1, p[1] * 0.9])
            }
            input = try EvaluationSamples.input(
                examples: examples, classes: ["negative", "neutral <mixed>", "positive"])
        case "no-log": input = try EvaluationSamples.input(log: nil)
        default: input = try EvaluationSamples.input()
        }
        try EvaluationReport.write(input, to: folder)
    }
}
