import Foundation

/// The largest file an ingest reads, by format: a larger one is skipped with a message, never read.
///
/// Text-like files (plain text, Markdown, HTML, code, JSONL) are held in memory whole, several
/// times over (the bytes, the decoded text, the chunks), so their limit bounds memory: 64 MiB is
/// about 20 times a long book (War and Peace is 3.2 MB of text) and a few hundred MB of memory at
/// the peak. PDFs are not held in memory by Trove (it hashes them in 64 KiB pieces and
/// `pdftotext` reads them), and most of a large PDF is images, so they may be 512 MiB; the text
/// extracted from one is held to the text limit instead. Zip-based documents (DOCX, ODT, PPTX,
/// EPUB) are like PDFs: mostly images, read a part at a time, so they may be 512 MiB too; the parts
/// Trove decompresses (the XML and XHTML holding the text) are held to the text limit, together,
/// which is what bounds a zip bomb.
///
/// ```swift
/// var pipeline = IngestPipeline(database: index, encoder: embedder)
/// pipeline.fileSizeLimits = FileSizeLimits(allFormats: 2 << 30)   // `trove ingest --max-file-size 2G`
/// ```
public struct FileSizeLimits: Sendable, Equatable {
    /// Files read whole as text (every format but PDF), and the text extracted from a PDF.
    public var textBytes: Int64
    /// PDF files.
    public var pdfBytes: Int64
    /// Zip-based documents: DOCX, ODT, PPTX and EPUB files (their decompressed text parts count
    /// against ``textBytes``).
    public var archiveBytes: Int64

    /// 64 MiB for text-like files, 512 MiB for PDFs and zip-based documents (see the type's discussion).
    public static let standard = FileSizeLimits(textBytes: 64 << 20, pdfBytes: 512 << 20, archiveBytes: 512 << 20)

    /// The limits in force where no pipeline is given any: ``standard`` unless a caller binds
    /// others around its work (`FileSizeLimits.$current.withValue(limits) { try trove.ingest(…) }`),
    /// which is how `trove ingest --max-file-size` reaches the pipeline that `TroveIndex` builds.
    @TaskLocal public static var current = FileSizeLimits.standard

    /// Separate limits for text-like files, PDFs and zip-based documents, in bytes.
    public init(textBytes: Int64, pdfBytes: Int64, archiveBytes: Int64 = 512 << 20) {
        self.textBytes = textBytes
        self.pdfBytes = pdfBytes
        self.archiveBytes = archiveBytes
    }

    /// One limit for every format (what `--max-file-size` sets).
    public init(allFormats bytes: Int64) {
        self.init(textBytes: bytes, pdfBytes: bytes, archiveBytes: bytes)
    }

    /// The limit for a file read as `format` (a file Trove does not read counts as text).
    public func bytes(for format: DocumentFormat?) -> Int64 {
        switch format {
        case .pdf: return pdfBytes
        case .docx, .odt, .pptx, .epub: return archiveBytes
        default: return textBytes
        }
    }

    /// Parses a size as `--max-file-size` takes it: bytes (`1048576`), or a number with a binary
    /// unit, `K`, `M`, `G` or `T`, optionally followed by `B` or `iB` (`10M` = `10MiB` = 10 × 2²⁰,
    /// `1.5G`). Nil for anything else, zero, or more than 2⁶³ − 1 bytes.
    public static func parseSize(_ text: String) -> Int64? {
        var body = text.trimmingCharacters(in: .whitespaces).uppercased()
        for suffix in ["IB", "B"] where body.hasSuffix(suffix) && body.count > suffix.count {
            body.removeLast(suffix.count)
            break
        }
        var multiplier = 1.0
        if let unit = body.last, let power = ["K": 1.0, "M": 2.0, "G": 3.0, "T": 4.0][String(unit)] {
            multiplier = pow(1024, power)
            body.removeLast()
        } else if text.uppercased().hasSuffix("IB") {
            return nil                                  // "10iB": a unit-less "iB" is no size
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let number = Double(body) else { return nil }
        let bytes = (number * multiplier).rounded(.down)
        guard bytes >= 1, bytes < 9.2e18 else { return nil }
        return Int64(bytes)
    }

    /// A size in binary units, as the messages give it: `512 bytes`, `64 MiB`, `300.5 MiB`, `2 GiB`.
    public static func describe(_ bytes: Int64) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard bytes >= 1024 else { return "\(bytes) bytes" }
        var value = Double(bytes) / 1024, unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        let rounded = (value * 10).rounded() / 10
        let number = rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
        return "\(number) \(units[unit])"
    }
}
