// swift-tools-version:6.0
import PackageDescription

// Coverage-guided fuzz targets (libFuzzer) for bertsent's parsers; a package of its own so that the main build
// never needs the fuzzer. Build and run one with scripts/fuzz.sh TARGET SECONDS (docs/RELIABILITY.md).
//
// Each target defines LLVMFuzzerTestOneInput and no main: libFuzzer's main runs it, hence -parse-as-library.
let fuzzSettings: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

/// A fuzz target in Sources/`name`, using bertsent's library product `library`.
func fuzzTarget(_ name: String, library: String = "BertSent") -> Target {
    .executableTarget(
        name: name, dependencies: [.product(name: library, package: "bertsent"), "FuzzSupport"],
        swiftSettings: fuzzSettings)
}

let package = Package(
    name: "BertSentFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        // `name:` because a path dependency is otherwise known by its folder's name, whatever it is.
        .package(name: "bertsent", path: "..")
    ],
    targets: [
        // What the targets share: checking a property, scratch files, the default model's folder.
        .target(name: "FuzzSupport"),
        fuzzTarget("FuzzTokenizer"),
        fuzzTarget("FuzzSafeTensors"),
        fuzzTarget("FuzzConfig"),
        fuzzTarget("FuzzTokenizerFiles"),
        fuzzTarget("FuzzCSV"),
        fuzzTarget("FuzzPredictRequest", library: "BertSentServer"),
        fuzzTarget("FuzzHubHeaders"),
    ]
)
