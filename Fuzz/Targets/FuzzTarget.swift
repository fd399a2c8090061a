import Foundation

/// One entry point that parses untrusted bytes, run by libFuzzer (`trove-fuzz NAME`, built by
/// Benchmarks/fuzz/run.sh) and by the unit tests, which replay every committed input through it
/// (`Fuzz/Corpus/NAME/`, `Fuzz/Regressions/NAME/`). See Fuzz/README.md.
///
/// A target catches every error the code under test throws: a clear error is a correct answer to
/// bad input. What it finds is a crash (a trap, an out-of-bounds read under AddressSanitizer), a
/// hang, runaway memory, or a broken promise that the target checks itself (``FuzzTarget/require(_:_:)``).
public struct FuzzTarget: Sendable {
    /// The name given to `trove-fuzz` and the corpus folder's name.
    public let name: String
    /// What the input is and what is run on it.
    public let summary: String
    let body: @Sendable (Data) throws -> Void

    init(_ name: String, _ summary: String, _ body: @escaping @Sendable (Data) throws -> Void) {
        self.name = name
        self.summary = summary
        self.body = body
    }

    /// Runs the target on one input. Throws only when the target cannot be set up (a model file
    /// it needs is missing, ``TroveTestSupport/MissingFile``); errors from the input are caught.
    public func run(_ input: Data) throws { try body(input) }

    /// Every target, in the order Benchmarks/fuzz/run.sh runs them.
    public static let all: [FuzzTarget] = [
        ModelFileTargets.gguf, ModelFileTargets.safetensors,
        TokenizerTargets.wordPiece, TokenizerTargets.byteLevelBPE, TokenizerTargets.sentencePiece,
        DocumentTargets.html, DocumentTargets.markdown, DocumentTargets.jsonl, DocumentTargets.pdfText,
        ZipDocumentTargets.docx, ZipDocumentTargets.odt, ZipDocumentTargets.pptx, ZipDocumentTargets.epub,
        ZipDocumentTargets.zip,
        ServerRequestTargets.requestBody,
    ]

    /// The target called `name`, if there is one.
    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    /// Stops the process (a crash the fuzzer records) when a promise the target checks is broken.
    /// Only for properties of the code under test, never for the input's validity.
    static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition {
            FileHandle.standardError.write(Data("fuzz target: \(message())\n".utf8))
            abort()
        }
    }
}
