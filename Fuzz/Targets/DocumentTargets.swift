import Foundation
import Ingest

/// The text formats, read as an ingest reads them (``DocumentLoader/loadFile(_:limits:)`` on a
/// file with the format's extension) and then cut by the ``Chunker`` with the encoder's WordPiece
/// counts. Checked: every chunk's span lies in the text and is the text it holds, and no chunk
/// holds more word pieces than the encoder's window.
enum DocumentTargets {
    static let html = FuzzTarget("html", "bytes as page.html → DocumentLoader, Chunker") { input in
        try loadAndChunk(input, as: "page.html")
    }

    static let markdown = FuzzTarget("markdown", "bytes as notes.md → DocumentLoader, Chunker") { input in
        try loadAndChunk(input, as: "notes.md")
    }

    static let jsonl = FuzzTarget("jsonl", "bytes as corpus.jsonl → DocumentLoader (records, malformed lines), Chunker") { input in
        try loadAndChunk(input, as: "corpus.jsonl")
    }

    /// pdftotext is poppler's, not ours: the input is what it could print (pages ended by form
    /// feeds, any bytes), which Trove splits into pages and chunks with page numbers.
    static let pdfText = FuzzTarget("pdf-text", "bytes as pdftotext's output → PDFLoader.document, Chunker") { input in
        try chunk(PDFLoader.document(pdftotextOutput: input, path: "/fuzz/input.pdf"))
    }

    /// Loads `input` as a file called `name` (the loader goes by its extension) and chunks every
    /// document it gives.
    static func loadAndChunk(_ input: Data, as name: String) throws {
        let loaded: LoadedFile
        do { loaded = try ScratchFile.with(input, as: name) { try DocumentLoader.loadFile($0) } } catch { _ = "\(error)"; return }
        for malformed in loaded.malformedRecords { _ = "\(malformed)" }
        for document in loaded.documents { try chunk(document) }
    }

    /// Chunks `document` as an ingest does and checks each chunk against the text.
    static func chunk(_ document: LoadedDocument) throws {
        let (tokenizer, _) = try Vocabularies.wordPiece.get()
        let chunker = Chunker(countTokens: { tokenizer.pieceCount($0) })
        let scalars = Array(document.text.unicodeScalars)
        for chunk in chunker.chunks(of: document) {
            FuzzTarget.require(0 <= chunk.start && chunk.start <= chunk.end && chunk.end <= scalars.count,
                               "chunk \(chunk.ordinal) spans \(chunk.start)..<\(chunk.end) of a text of \(scalars.count) code points")
            var spanned = String.UnicodeScalarView()
            spanned.append(contentsOf: scalars[chunk.start ..< chunk.end])
            FuzzTarget.require(String(spanned) == chunk.text, "chunk \(chunk.ordinal)'s text is not the text at its span \(chunk.start)..<\(chunk.end)")
            FuzzTarget.require(chunk.tokenCount <= chunker.contentBudget,
                               "chunk \(chunk.ordinal) holds \(chunk.tokenCount) word pieces, over the window's \(chunker.contentBudget)")
            let context = ChunkContext.context(of: chunk.text, headingPath: chunk.headingPath, title: document.title)
            _ = ChunkContext.embeddedText(chunk.text, context: context)
        }
    }
}
