import ArgumentParser
import BertSent
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks for bench/run.sh; each prints one JSON line.",
        discussion: """
            train / inference: training steps or inference batches on random tokens of --batch-size × --seq-len \
            (--random-config builds a model of that shape, e.g. bert-base, with random weights); train, inference \
            and reviews take --precision.
            reviews: Predictor on the first --count texts of --input (length-sorted batches of --batch-size, dynamic padding).
            tokenizer: BertTokenizer.encodeBatch on the first --count texts of --input.
            clean: writes the first --count cleaned rows of --input to --output (the texts both sides read).
            gemm: the SGEMM rate of the linked BLAS (1024×768×3072), the FMA peak, the bf16 kernel's rates on 1 and all threads (training's three products too) where the CPU has AVX-512 BF16, and the int8 kernel's where it has VNNI (4096×1536×384, 4096×384×1536, 4096×384×384).
            info: the BLAS library and kernel, the thread count, and the kernels this process runs (BERTSENT_ISA \
            caps their instruction set: portable, avx2, avx-vnni or avx512 on x86-64; portable, neon, neon-dotprod or neon-i8mm on arm64).
            """)

    enum Task: String, ExpressibleByArgument, CaseIterable {
        case train, inference, reviews, tokenizer, clean, gemm, info
    }

    @Argument(help: "train, inference, reviews, tokenizer, clean, gemm or info.") var task: Task
    @OptionGroup var model: ModelOption
    @OptionGroup var precision: PrecisionOption
    @Option(help: "A config.json for a randomly initialised model instead of --model.") var randomConfig: String?
    @Option var batchSize = 8
    @Option var seqLen = 128
    @Option var warmup = 1
    @Option var repetitions = 5
    @Option(help: "CSV with review,sentiment columns (reviews, tokenizer, clean).") var input: String?
    @Option(help: "Texts to take from --input.") var count = 2000
    @Option(help: "Where clean writes its CSV.") var output: String?
    @Option(help: "Longest encoding in tokens (reviews: 256, tokenizer: 512).") var maxLength: Int?

    struct Info: Codable {
        var blas: String
        var cores: Int
        var openblasCoretype: String?
        /// The kernels this process runs (BERTSENT_ISA caps them) and the CPU's best level.
        var kernels: KernelSet
        var bestInstructionSet: InstructionSet
        var vmHWMMegabytes: Double
    }

    func run() throws {
        guard precision.precision == .fp32 || [.train, .inference, .reviews].contains(task) else {
            throw ValidationError("--precision applies to train, inference and reviews, not \(task.rawValue)")
        }
        switch task {
        case .info:
            try printJSONLine(
                Info(
                    blas: BLASInfo.description, cores: ProcessInfo.processInfo.activeProcessorCount,
                    openblasCoretype: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"],
                    kernels: .active, bestInstructionSet: CPUFeatures.current.best,
                    vmHWMMegabytes: StepBenchmark.peakResidentMegabytes()))
        case .gemm:
            try printJSONLine(GemmBenchmark.run(repetitions: repetitions))
        case .clean:
            guard let output else { throw ValidationError("clean needs --output") }
            var dataset = try texts()
            dataset.examples = Array(dataset.examples.prefix(count))
            try dataset.write(csv: URL(fileURLWithPath: output))
        case .tokenizer:
            let tokenizer = try BertTokenizer(directory: model.directory())
            let texts = try texts().texts
            try printJSONLine(
                DataBenchmark.tokenizer(
                    tokenizer, texts: Array(texts.prefix(count)), maxLength: maxLength ?? 512,
                    warmup: warmup, repetitions: repetitions))
        case .reviews:
            let texts = try texts().texts
            let predictor = try Predictor(
                directory: model.directory(), maxLength: maxLength ?? BertTokenizer.defaultMaxLength,
                batchSize: batchSize,
                precision: precision.precision)
            try printJSONLine(
                DataBenchmark.predictions(
                    predictor, texts: Array(texts.prefix(count)), warmup: warmup, repetitions: repetitions))
        case .train, .inference:
            let model = try loadModel()
            let result =
                task == .train
                ? try StepBenchmark.training(
                    model: model, batch: batchSize, sequence: seqLen, warmup: warmup, repetitions: repetitions,
                    precision: precision.precision)
                : try StepBenchmark.inference(
                    model: model, batch: batchSize, sequence: seqLen, warmup: warmup, repetitions: repetitions,
                    precision: precision.precision)
            try printJSONLine(result)
        }
    }

    private func texts() throws -> ReviewDataset {
        guard let input else { throw ValidationError("\(task.rawValue) needs --input") }
        return try ReviewDataset.load(csv: URL(fileURLWithPath: input), skipBadRows: true).dataset
    }

    private func loadModel() throws -> BertModel {
        if let randomConfig {
            var config = try BertConfig(contentsOf: URL(fileURLWithPath: randomConfig))
            try config.setClasses(["negative", "positive"], head: .softmax)
            let model = try BertModel(config: config)
            model.initializeRandomly(seed: 1)
            return model
        }
        return try BertModel.load(from: try self.model.directory(), classes: ["negative", "positive"])
    }
}
