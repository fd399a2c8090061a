import Foundation

/// `.epub` files (EPUB 2 and 3): the chapters in reading order, each laid out by the HTML loader
/// (headings, main content, ids), with the chapter's file as the anchor of its chunks.
///
/// `META-INF/container.xml` names the package document (the OPF); its spine gives the reading
/// order, its manifest the files. Spine items marked `linear="no"` (pop-ups, answers at the back)
/// and the navigation document (a table of contents repeating the headings) are left out. Each
/// chapter's XHTML goes through ``HTMLLoader/extract(html:)``, so headings, furniture and ids are
/// read as for a web page; a chapter's headings continue the book's heading path.
///
/// Citations point at the chapter inside the book: each chapter's start is the anchor of its
/// path relative to the package document (`text/ch002.xhtml`), each id in it
/// `text/ch002.xhtml#storms`, so a citation reads `book.epub#text/ch002.xhtml#storms`.
/// A chapter listed in `META-INF/encryption.xml` (DRM; fonts obfuscated by the IDPF algorithm
/// are listed there too, and do not matter) is reported as ``LoaderError/encrypted(file:detail:)``.
/// The title is the package's `dc:title`, else the first level-1 heading.
public enum EPUBLoader {
    static let containerNamespace = "urn:oasis:names:tc:opendocument:xmlns:container"
    static let packageNamespace = "http://www.idpf.org/2007/opf"
    static let encryptionNamespace = "http://www.w3.org/2001/04/xmlenc#"
    static let chapterMediaTypes: Set<String> = ["application/xhtml+xml", "text/html"]

    /// Loads an EPUB book.
    public static func load(_ file: URL, limits: FileSizeLimits = .current) throws -> LoadedDocument {
        try DocumentArchive.read(file, limits: limits) { archive in
            let container = try archive.xml("META-INF/container.xml")
            guard let packagePath = container.root.descendants("rootfile", in: containerNamespace).first?
                    .attribute("full-path").map({ OfficeRelationships.resolve($0, from: "") }) else {
                throw LoaderError.malformedDocument(file: file.path, part: "META-INF/container.xml",
                                                    problem: "names no package document (rootfile)")
            }
            let package = try archive.xml(packagePath).root
            let folder = (packagePath as NSString).deletingLastPathComponent
            let encrypted = try encryptedPaths(archive)

            var manifest: [String: (href: String, mediaType: String, isNavigation: Bool)] = [:]
            for item in package.child("manifest", in: packageNamespace)?.elements ?? [] where item.is("item", in: packageNamespace) {
                guard let id = item.attribute("id"), let href = item.attribute("href") else { continue }
                let properties = (item.attribute("properties") ?? "").split(separator: " ")
                manifest[id] = (href.removingPercentEncoding ?? href, item.attribute("media-type") ?? "", properties.contains("nav"))
            }
            var builder = DocumentTextBuilder()
            for itemref in package.child("spine", in: packageNamespace)?.elements ?? [] where itemref.is("itemref", in: packageNamespace) {
                guard itemref.attribute("linear") != "no", let idref = itemref.attribute("idref"), let item = manifest[idref],
                      !item.isNavigation, chapterMediaTypes.contains(item.mediaType) else { continue }
                let part = OfficeRelationships.resolve(item.href, from: folder)
                if encrypted.contains(part) {
                    throw LoaderError.encrypted(file: file.path, detail: "an EPUB under DRM: chapter '\(part)' is encrypted")
                }
                let html: String
                do { html = try TextDecoding.decode(try archive.data(part), file: file.path) } catch LoaderError.binary {
                    throw LoaderError.malformedDocument(file: file.path, part: part, problem: "is not text (binary content in a chapter)")
                }
                let chapter = HTMLLoader.extract(html: html)
                builder.placeAnchor(item.href)
                builder.appendLaidOutBlock(chapter.text, headings: chapter.headings, anchors: chapter.anchors, anchorPrefix: item.href)
            }
            builder.finish()
            let declared = package.child("metadata", in: packageNamespace)?.child("title", in: OfficeCoreProperties.dublinCore)
                .map { DocumentTextBuilder.collapsingWhitespace($0.text) }
            let title = declared.flatMap { $0.isEmpty ? nil : $0 } ?? builder.headings.first { $0.level == 1 }?.title
            return LoadedDocument(path: file.path, format: .epub, title: title, text: builder.text,
                                  headings: builder.headings, anchors: builder.anchors)
        }
    }

    /// The files `META-INF/encryption.xml` lists as encrypted (paths from the container's root).
    static func encryptedPaths(_ archive: DocumentArchive) throws -> Set<String> {
        guard let encryption = try archive.xmlIfPresent("META-INF/encryption.xml") else { return [] }
        return Set(encryption.root.descendants("CipherReference", in: encryptionNamespace)
            .compactMap { $0.attribute("URI").map { OfficeRelationships.resolve($0, from: "") } })
    }
}
