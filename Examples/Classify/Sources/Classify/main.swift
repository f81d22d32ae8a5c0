// Classifies a few reviews; given a CSV (columns `review` and `sentiment`), fine-tunes on it first.
//   swift run Classify               # the default model as it is
//   swift run Classify reviews.csv   # fine-tune, then classify with the best checkpoint
import BertSent
import Foundation

// nil is the default model (all-MiniLM-L6-v2, installed by bertsent's scripts/setup.sh); a folder path
// or a Hugging Face name such as "org/name" (from the HF cache, downloaded if missing) work too.
var modelDirectory = try ModelDirectory.resolve(nil)

if CommandLine.arguments.count > 1 {
    let csv = URL(fileURLWithPath: CommandLine.arguments[1])
    let (dataset, skipped) = try ReviewDataset.load(
        csv: csv, textColumn: "review", labelColumn: "sentiment", cleaner: TextCleaner(), skipBadRows: true)
    print("\(dataset.count) reviews (\(skipped.count) bad rows skipped)")
    let data = try TrainingData(splitting: dataset, validationSize: 0.2, seed: 42)  // stratified 80/20

    var arguments = TrainingArguments()  // HF TrainingArguments' defaults; change what you need
    arguments.epochs = 1
    arguments.learningRate = 1e-4
    arguments.batchSize = 16
    arguments.maxLength = 64
    let trainer = try Trainer(
        modelDirectory: modelDirectory, data: data, arguments: arguments,
        outputDirectory: URL(fileURLWithPath: "runs/classify"))  // checkpoints, log, best/
    try trainer.run { event in
        if event.entry.kind == .eval { print("epoch \(event.entry.epoch): accuracy \(event.entry.accuracy ?? 0)") }
    }
    modelDirectory = trainer.bestDirectory  // the checkpoint with the best validation metric
}

// Without fine-tuning, the default model (a sentence encoder) has no classification head: it gets a
// random one, so these labels mean nothing until the model is trained.
let predictor = try Predictor(directory: modelDirectory)
let texts = ["A wonderful film, I loved every minute.", "Dull, predictable and far too long."]
for (text, prediction) in zip(texts, try predictor.predict(texts)) {
    print("\(prediction.label) (\(String(format: "%.2f", prediction.confidence))): \(text)")
}
