// swift-tools-version:6.0
// Trove: a local retrieval-augmented generation engine. See README.md and ARCHITECTURE.md.
import PackageDescription

/// Numeric modules are compiled for x86-64 with AVX2 + FMA (Haswell and later, every Zen):
/// the baseline the project promises to run on. Wider vectors are chosen at run time in kernels.
let fastMath: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-target-cpu", "haswell"]),
]

let package = Package(
    name: "Trove",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "trove", targets: ["TroveCLI"]),
        .library(name: "Trove", targets: ["Trove"]),
        // The parts benchmarked on their own (Benchmarks/ is a separate package that uses these).
        .library(name: "BertEncoder", targets: ["BertEncoder"]),
        .library(name: "LlamaDecoder", targets: ["LlamaDecoder"]),
        .library(name: "VectorIndex", targets: ["VectorIndex"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The Model Context Protocol (`trove mcp`, `/mcp`).
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        // Writes the zip fixtures of the tests and the fuzz targets (Ingest reads zips itself:
        // Sources/Ingest/ZIPEntryReader.swift says why).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // BLAS: OpenBLAS's cblas.h through pkg-config (apt libopenblas-dev).
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // Quantized row kernels in C (portable + AVX2 + AVX-512, chosen at run time): Swift's SIMD
        // integer-to-float conversions do not vectorise (see Benchmarks/decoder/README.md).
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        // Dense math: the only place with SIMD and BLAS.
        .target(name: "Tensors", dependencies: ["CBLAS", "CKernels"], swiftSettings: fastMath),
        // Memory-mapped safetensors and GGUF readers.
        .target(name: "ModelFiles"),
        // WordPiece and byte-level BPE.
        .target(name: "Tokenizers", swiftSettings: fastMath),
        .target(name: "BertEncoder", dependencies: ["Tensors", "ModelFiles", "Tokenizers"], swiftSettings: fastMath),
        .target(name: "LlamaDecoder", dependencies: ["Tensors", "ModelFiles", "Tokenizers"], swiftSettings: fastMath),
        .target(name: "Store", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "VectorIndex", dependencies: ["Tensors"], swiftSettings: fastMath),
        // zlib, for the entries of zip-based documents (DOCX, ODT, PPTX, EPUB).
        .systemLibrary(name: "SystemZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "Ingest", dependencies: ["Store", "SystemZlib"]),
        .target(name: "Trove", dependencies: ["BertEncoder", "LlamaDecoder", "Store", "VectorIndex", "Ingest", "Tokenizers", "ModelFiles"]),
        // Trove for AI agents: the Model Context Protocol's tools and resources (`trove mcp`, `/mcp`).
        .target(name: "TroveMCP", dependencies: ["Trove", .product(name: "MCP", package: "swift-sdk")]),
        // The HTTP API (`trove serve`): Trove's own endpoints, OpenAI-compatible ones and MCP.
        .target(name: "TroveServer", dependencies: [
            "Trove", "Ingest", "TroveMCP", .product(name: "MCP", package: "swift-sdk"), .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "TroveCLI", dependencies: [
            "Trove", "TroveServer", "TroveMCP", "Ingest", .product(name: "MCP", package: "swift-sdk"), .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The library example from the README.
        .executableTarget(name: "trove-example", dependencies: ["Trove"], path: "Examples/TroveExample"),

        // Shared by the test targets: fixture and model locations, temporary folders.
        .target(name: "TroveTestSupport", path: "Tests/TroveTestSupport"),
        // Fuzzing (Fuzz/README.md): the targets are a library, so that the unit tests replay every
        // committed corpus file and crash input through them; libFuzzer runs them in `trove-fuzz`.
        .target(name: "FuzzTargets", dependencies: [
            "ModelFiles", "Tokenizers", "LlamaDecoder", "Ingest", "TroveServer", "TroveTestSupport",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], path: "Fuzz/Targets"),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "TroveTestSupport"], exclude: ["Fixtures"]),   // gguf-py reference blocks
        .testTarget(name: "ModelFilesTests", dependencies: ["ModelFiles", "TroveTestSupport"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "ModelFiles", "TroveTestSupport"]),
        .testTarget(name: "BertEncoderTests", dependencies: ["BertEncoder", "TroveTestSupport"]),
        .testTarget(name: "LlamaDecoderTests", dependencies: ["LlamaDecoder", "TroveTestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TroveTestSupport"]),
        .testTarget(name: "VectorIndexTests", dependencies: ["VectorIndex", "TroveTestSupport"]),
        .testTarget(name: "IngestTests", dependencies: [
            "Ingest", "Store", "TroveTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], exclude: ["Fixtures"]),   // documents made by pandoc, read by path (see Fixtures/OfficeDocuments/README.md)
        .testTarget(name: "TroveTests", dependencies: ["Trove", "Ingest", "TroveTestSupport"]),
        .testTarget(name: "TroveCLITests", dependencies: ["TroveTestSupport", "Store"]),
        .testTarget(name: "TroveMCPTests", dependencies: [
            "TroveMCP", "Trove", "TroveTestSupport", .product(name: "MCP", package: "swift-sdk"),
        ], exclude: ["mcp_client_check.py"]),   // run by Scripts/test-mcp-client.sh
        .testTarget(name: "TroveServerTests", dependencies: [
            "TroveServer", "Trove", "Ingest", "TroveTestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], exclude: ["openai_client_check.py"]),   // run by Scripts/test-openai-client.sh
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets", "TroveTestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)

// The libFuzzer driver exists only in the sanitizer build of Benchmarks/fuzz/run.sh: it calls
// libFuzzer's `LLVMFuzzerRunDriver`, which that build links in (and a normal build has not).
if Context.environment["TROVE_FUZZ"] == "1" {
    package.targets.append(.executableTarget(name: "TroveFuzz", dependencies: ["FuzzTargets"], path: "Fuzz/Driver"))
    package.products.append(.executable(name: "trove-fuzz", targets: ["TroveFuzz"]))
}
