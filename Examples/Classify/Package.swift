// swift-tools-version:6.0
import PackageDescription

// An application using bertsent as a library: `swift run Classify [reviews.csv]` from this folder.
let package = Package(
    name: "Classify",
    platforms: [.macOS(.v14)],
    dependencies: [
        // `name:` because a path dependency is otherwise known by its folder's name, whatever it is.
        .package(name: "bertsent", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "Classify",
            dependencies: [
                .product(name: "BertSent", package: "bertsent")
            ])
    ]
)
