import Foundation
import Ingest
import ZIPFoundation

/// The zip-based documents. Mutating a zip's bytes mostly breaks its checksums, which stops the
/// loader before any XML is read; so the format targets take the XML of the document's main part
/// and wrap it in a small, valid package of that format (written here with ZIPFoundation), and
/// the `zip` target takes whole archives (container damage, zip bombs, encrypted entries).
enum ZipDocumentTargets {
    /// The input is `word/document.xml` (found without relationships, as the loader allows).
    static let docx = FuzzTarget("docx", "XML as word/document.xml of a .docx → DOCXLoader, Chunker") { input in
        try loadAndChunk([("word/document.xml", input)], as: "report.docx")
    }

    /// The input is `content.xml`.
    static let odt = FuzzTarget("odt", "XML as content.xml of an .odt → ODTLoader, Chunker") { input in
        try loadAndChunk([("mimetype", Data("application/vnd.oasis.opendocument.text".utf8)), ("content.xml", input)], as: "report.odt")
    }

    /// The input is the only slide, listed by the presentation through its relationship.
    static let pptx = FuzzTarget("pptx", "XML as ppt/slides/slide1.xml of a .pptx → PPTXLoader, Chunker") { input in
        try loadAndChunk([
            ("ppt/presentation.xml", Data("""
                <p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" \
                xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
                <p:sldIdLst><p:sldId id="256" r:id="rId1"/></p:sldIdLst></p:presentation>
                """.utf8)),
            ("ppt/_rels/presentation.xml.rels", Data("""
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" \
                Target="slides/slide1.xml"/></Relationships>
                """.utf8)),
            ("ppt/slides/slide1.xml", input),
        ], as: "deck.pptx")
    }

    /// The input is the package document (OPF: metadata, manifest, spine); its chapters are
    /// those it names from a fixed set (`ch1.xhtml`, `ch2.xhtml`).
    static let epub = FuzzTarget("epub", "XML as the OPF of an .epub → EPUBLoader, Chunker") { input in
        try loadAndChunk([
            ("mimetype", Data("application/epub+zip".utf8)),
            ("META-INF/container.xml", Data("""
                <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\
                <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>
                """.utf8)),
            ("OEBPS/content.opf", input),
            ("OEBPS/ch1.xhtml", Data("<html><body><h1 id=\"a\">Storms</h1><p>The keeper lit the lamp.</p></body></html>".utf8)),
            ("OEBPS/ch2.xhtml", Data("<html><body><h2>Fog</h2><p>A horn sounded every minute.</p></body></html>".utf8)),
        ], as: "book.epub")
    }

    /// The input is a whole archive, read as each of the four formats.
    static let zip = FuzzTarget("zip", "bytes as .docx, .odt, .pptx and .epub → DocumentArchive and each loader") { input in
        for name in ["archive.docx", "archive.odt", "archive.pptx", "archive.epub"] {
            try DocumentTargets.loadAndChunk(input, as: name)
        }
    }

    /// Writes `entries` as a stored (uncompressed) zip named `name`, then loads and chunks it.
    static func loadAndChunk(_ entries: [(String, Data)], as name: String) throws {
        let archive: Archive
        do {
            archive = try Archive(accessMode: .create)
            for (path, data) in entries {
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count)) { position, size in
                    data.subdata(in: Int(position) ..< Int(position) + size)
                }
            }
        } catch {
            FuzzTarget.require(false, "ZIPFoundation could not write the package: \(error)")
            return
        }
        try DocumentTargets.loadAndChunk(archive.data ?? Data(), as: name)
    }
}
