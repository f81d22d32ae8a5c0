// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "bertsent",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "BertSent", targets: ["BertSent"]),
        .library(name: "BertSentServer", targets: ["BertSentServer"]),
        .executable(name: "bertsent", targets: ["bertsent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // BLAS: on Linux OpenBLAS from PyPI's scipy-openblas32 wheel, installed by scripts/setup.sh; on macOS
        // Accelerate (Sources/BertSentCore/Platform).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "bertsent-openblas"),
        // Vector kernels, one copy per instruction-set level, chosen at run time (see Sources/CKernels/include).
        .target(name: "CKernels"),
        .target(
            name: "BertSentCore",
            dependencies: [.target(name: "CBLAS", condition: .when(platforms: [.linux])), "CKernels"],
            linkerSettings: [.linkedFramework("Accelerate", .when(platforms: [.macOS]))]
        ),
        .target(
            name: "BertSentFormats",
            dependencies: ["BertSentCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "BertSentHub", dependencies: ["BertSentCore", "BertSentFormats"]),
        .target(name: "BertSentText", dependencies: ["BertSentCore"]),
        .target(
            name: "BertSentData",
            dependencies: ["BertSentCore", "BertSentText", .product(name: "CSV", package: "CSV.swift")]
        ),
        .target(name: "BertSentModel", dependencies: ["BertSentCore", "BertSentFormats"]),
        .target(name: "BertSentInference", dependencies: ["BertSentCore", "BertSentModel", "BertSentText"]),
        .target(
            name: "BertSentTraining",
            dependencies: [
                "BertSentCore", "BertSentFormats", "BertSentText", "BertSentData", "BertSentModel", "BertSentInference",
            ]
        ),
        .target(
            name: "BertSentReport",
            dependencies: ["BertSentCore", "BertSentData", "BertSentInference", "BertSentTraining"]
        ),
        // What an application imports: every layer above, re-exported.
        .target(
            name: "BertSent",
            dependencies: [
                "BertSentCore", "BertSentFormats", "BertSentHub", "BertSentText", "BertSentData", "BertSentModel",
                "BertSentInference", "BertSentTraining", "BertSentReport",
            ]
        ),
        // The HTTP service; kept out of BertSent so the library does not pull in a server stack.
        .target(
            name: "BertSentServer",
            dependencies: [
                "BertSentCore", "BertSentText", "BertSentInference",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "bertsent",
            dependencies: [
                "BertSent",
                "BertSentServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test targets mirror the library's; shared helpers (fixtures, the fake Hub, running the CLI) live
        // in BertSentTestSupport.
        .target(name: "BertSentTestSupport", dependencies: ["BertSent"], path: "Tests/BertSentTestSupport"),
        .testTarget(name: "BertSentCoreTests", dependencies: ["BertSent", "BertSentTestSupport", "CKernels"]),
        .testTarget(name: "BertSentFormatsTests", dependencies: ["BertSent", "BertSentTestSupport"]),
        .testTarget(name: "BertSentHubTests", dependencies: ["BertSent", "BertSentTestSupport"]),
        .testTarget(name: "BertSentTextTests", dependencies: ["BertSent", "BertSentTestSupport"]),
        .testTarget(name: "BertSentDataTests", dependencies: ["BertSent", "BertSentTestSupport"]),
        .testTarget(name: "BertSentModelTests", dependencies: ["BertSent", "BertSentTestSupport"]),
        .testTarget(name: "BertSentInferenceTests", dependencies: ["BertSent", "BertSentTestSupport"]),
        .testTarget(name: "BertSentTrainingTests", dependencies: ["BertSent", "BertSentTestSupport"]),
        .testTarget(name: "BertSentReportTests", dependencies: ["BertSent", "BertSentTestSupport"]),
        .testTarget(
            name: "BertSentServerTests",
            dependencies: [
                "BertSent", "BertSentServer", "BertSentTestSupport", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The command line, run as a user runs it (the tests find the built bertsent beside them).
        .testTarget(name: "bertsentTests", dependencies: ["BertSent", "BertSentTestSupport"]),
    ]
)
