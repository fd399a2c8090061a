import Foundation

/// The relationships of a part of an Office Open XML package (DOCX, PPTX): how one part names
/// another. `_rels/.rels` leads to the main document (`word/document.xml`) and the document
/// properties; `ppt/_rels/presentation.xml.rels` maps a slide's `r:id` to `slides/slide1.xml`.
/// (ECMA-376 part 2, Open Packaging Conventions, 9.3.)
struct OfficeRelationships {
    /// One relationship: its id, its type URI, and its target as a path inside the archive.
    struct Relationship {
        var id: String
        var type: String
        var target: String
    }

    static let namespace = "http://schemas.openxmlformats.org/package/2006/relationships"
    /// Relationship types, as the ends of their URIs (transitional and strict differ before them).
    static let officeDocument = "/officeDocument", coreProperties = "/core-properties", styles = "/styles", slide = "/slide"

    let relationships: [Relationship]

    /// The relationships of `part` (`""` for the package itself); none when it has no `.rels` part.
    init(of part: String, in archive: DocumentArchive) throws {
        let folder = (part as NSString).deletingLastPathComponent
        let name = (part as NSString).lastPathComponent
        let relsPart = (folder.isEmpty ? "" : folder + "/") + "_rels/" + name + ".rels"
        guard let tree = try archive.xmlIfPresent(relsPart) else {
            relationships = []
            return
        }
        relationships = tree.root.elements.compactMap { element in
            guard element.is("Relationship", in: Self.namespace), element.attribute("TargetMode") != "External",
                  let id = element.attribute("Id"), let type = element.attribute("Type"),
                  let target = element.attribute("Target") else { return nil }
            return Relationship(id: id, type: type, target: Self.resolve(target, from: folder))
        }
    }

    /// The target of the first relationship whose type ends with `typeSuffix`.
    func target(ofType typeSuffix: String) -> String? {
        relationships.first { $0.type.hasSuffix(typeSuffix) }?.target
    }

    /// The target of the relationship `id`.
    func target(id: String) -> String? {
        relationships.first { $0.id == id }?.target
    }

    /// `target` as a path inside the archive: absolute (`/word/document.xml`) or relative to
    /// `folder`, with `.` and `..` resolved and percent-escapes decoded.
    static func resolve(_ target: String, from folder: String) -> String {
        let decoded = target.removingPercentEncoding ?? target
        var parts: [Substring] = decoded.hasPrefix("/") ? [] : folder.split(separator: "/")
        for piece in decoded.split(separator: "/") {
            if piece == "." { continue }
            if piece == ".." { _ = parts.popLast(); continue }
            parts.append(piece)
        }
        return parts.joined(separator: "/")
    }
}
