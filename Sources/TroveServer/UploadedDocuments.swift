import Foundation

/// Text sent to `POST /v1/documents` is kept as a file in the uploads folder and ingested like
/// any other file: re-sending the same name replaces the document, and its chunks point at a
/// file a user can open. Names are reduced to a safe file name in that folder (no path escapes).
struct UploadedDocuments {
    let folder: URL

    /// Formats the loaders read; any other extension gets `.txt` added.
    static let extensions: Set<String> = ["txt", "md", "markdown", "html", "htm", "swift", "py", "js", "ts", "c", "h",
                                          "cpp", "rs", "go", "java", "json", "yaml", "yml", "toml", "sh", "csv", "rst"]

    /// Writes `text` under `name` (or a name made from the text's hash) and returns the file.
    func store(_ text: String, name: String?) throws -> URL {
        let fileName = try Self.fileName(for: name, text: text)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(fileName)
        try Data(text.utf8).write(to: file, options: .atomic)
        return file.standardizedFileURL
    }

    /// True when `path` is a file this folder holds (its file is removed with its document).
    func holds(_ path: String) -> Bool {
        URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path == folder.standardizedFileURL.path
    }

    /// `notes/Q3 plan.md` → `Q3_plan.md`; nil → `text-<12 hex of FNV-1a>.txt`.
    static func fileName(for name: String?, text: String) throws -> String {
        guard let name else {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return "text-\(String(hash, radix: 16)).txt"
        }
        let last = name.split(separator: "/").last.map(String.init) ?? ""
        var safe = String(last.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" })
        while safe.hasPrefix(".") { safe.removeFirst() }
        guard !safe.isEmpty, safe.count <= 200 else {
            throw APIError.badRequest("field `name` must be a file name of 1 to 200 letters, digits, '.', '_' or '-'", param: "name")
        }
        let ext = (safe as NSString).pathExtension.lowercased()
        return extensions.contains(ext) ? safe : safe + ".txt"
    }
}
