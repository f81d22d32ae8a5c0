// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "bertsent",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "BertSent", targets: ["BertSent"]),
        .executable(name: "bertsent", targets: ["bertsent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        // OpenBLAS from PyPI's scipy-openblas32 wheel, installed by scripts/setup.sh.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "bertsent-openblas"),
        // Vectorised elementwise kernels, cloned per instruction set (see Sources/CKernels/include).
        .target(name: "CKernels"),
        .target(
            name: "BertSent",
            dependencies: [
                "CBLAS",
                "CKernels",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "bertsent",
            dependencies: [
                "BertSent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "BertSentTests",
            dependencies: ["BertSent"]
        ),
    ]
)
