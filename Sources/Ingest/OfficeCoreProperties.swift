import Foundation

/// The title an Office Open XML package declares in its core properties (`docProps/core.xml`,
/// Dublin Core `dc:title`), as Word and PowerPoint show it under File › Info.
enum OfficeCoreProperties {
    static let dublinCore = "http://purl.org/dc/elements/1.1/"

    /// The declared title, whitespace collapsed; nil when there is none or it is empty.
    static func title(_ package: OfficeRelationships, _ archive: DocumentArchive) throws -> String? {
        let part = package.target(ofType: OfficeRelationships.coreProperties) ?? "docProps/core.xml"
        guard let core = try archive.xmlIfPresent(part) else { return nil }
        let title = DocumentTextBuilder.collapsingWhitespace(core.root.child("title", in: dublinCore)?.text ?? "")
        return title.isEmpty ? nil : title
    }
}
