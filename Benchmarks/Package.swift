// swift-tools-version:6.0
// Side-by-side benchmarks: each executable times one Trove part on a fixed workload and prints
// JSON; the Python scripts beside them time the competitor in the same run and print the ratio.
import PackageDescription

let package = Package(
    name: "TroveBenchmarks",
    dependencies: [.package(name: "Trove", path: "..")],
    targets: [
        .executableTarget(name: "EncoderBench", dependencies: [.product(name: "BertEncoder", package: "Trove")]),
        .executableTarget(name: "SearchBench", dependencies: [.product(name: "VectorIndex", package: "Trove")]),
        .executableTarget(name: "DecoderBench", dependencies: [.product(name: "LlamaDecoder", package: "Trove")]),
    ],
    swiftLanguageModes: [.v5]
)
