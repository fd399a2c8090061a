import Foundation

/// A zip-based document (DOCX, ODT, PPTX, EPUB) opened for reading its parts, with every way it
/// can be bad turned into a ``LoaderError`` that names the file.
///
/// - The file is opened as ``RegularFile`` opens every file (only a regular file within
///   ``FileSizeLimits/archiveBytes``), and everything is read from that same open file, never the
///   path again (which could have been swapped for a FIFO since).
/// - The zip structure is read here (``ZIPDirectory``, ``ZIPEntryReader``), every read bounded by
///   the file and by the entry's compressed size, so a damaged archive is refused and never loops.
/// - An encrypted document is named as such: an Office file saved with a password (an OLE
///   compound file, not a zip), a zip whose entries are encrypted; the formats' own encryption
///   (OpenDocument's manifest, EPUB's `encryption.xml`) is checked by their loaders.
/// - Parts are decompressed as a stream with a running count, and reading stops once the parts
///   read so far pass ``FileSizeLimits/textBytes`` together: the size a zip entry declares is never
///   trusted, so a zip bomb costs at most that much memory and time.
///
/// ```swift
/// let text = try DocumentArchive.read(URL(fileURLWithPath: "report.docx")) { archive in
///     try archive.xml("word/document.xml").root.text
/// }
/// ```
final class DocumentArchive {
    /// The document's path, for messages.
    let file: String
    /// The open file (valid while ``read(_:limits:_:)`` runs its body) and its size.
    private let descriptor: Int32
    private let size: Int64
    /// The archive's file entries by path, the first of each name (folders and symbolic links are
    /// never read).
    private let entries: [String: ZIPDirectory.Entry]
    /// Decompressed bytes the parts may still take, together.
    private var remainingBytes: Int64
    private let limit: Int64

    /// The first bytes of an OLE compound file: how Office stores a password-protected document
    /// (an `EncryptedPackage` stream; MS-OFFCRYPTO 2.3.4.4), as well as the old binary formats.
    static let compoundFileSignature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    private init(file: String, descriptor: Int32, size: Int64, directory: ZIPDirectory, limit: Int64) {
        self.file = file
        self.descriptor = descriptor
        self.size = size
        self.limit = limit
        remainingBytes = limit
        var entries: [String: ZIPDirectory.Entry] = [:]
        for entry in directory.entries where !entry.isFolderOrLink && entries[entry.path] == nil { entries[entry.path] = entry }
        self.entries = entries
    }

    /// Opens `file` and runs `body` on it; the file is closed afterwards.
    static func read<T>(_ file: URL, limits: FileSizeLimits = .current, _ body: (DocumentArchive) throws -> T) throws -> T {
        let path = file.path
        return try RegularFile.withOpened(path, limit: limits.archiveBytes) { descriptor, size in
            if ZIPDirectory.read(descriptor, at: 0, count: compoundFileSignature.count) == compoundFileSignature {
                throw LoaderError.encrypted(file: path, detail: "an OLE compound file, not a zip: a password-protected "
                                            + "Office document, or an old binary .doc or .ppt renamed")
            }
            let directory: ZIPDirectory
            do throws(ZIPDirectory.Problem) {
                directory = try ZIPDirectory(descriptor: descriptor, size: size)
            } catch .noEndRecord {
                throw LoaderError.corruptArchive(file: path, problem: "no end-of-central-directory record: truncated, or not a zip file")
            } catch let .damaged(problem) {
                throw LoaderError.corruptArchive(file: path, problem: problem)
            }
            // ZIP's own encryption (a password given to `zip -P`, say): no part can be read.
            let encrypted = directory.entries.filter(\.isEncrypted).map(\.path)
            if !encrypted.isEmpty {
                throw LoaderError.encrypted(file: path, detail: "a password-protected zip: "
                                            + (encrypted.count == 1 ? "its entry '\(encrypted[0])' is encrypted"
                                               : "\(encrypted.count) entries are encrypted, the first '\(encrypted[0])'"))
            }
            return try body(DocumentArchive(file: path, descriptor: descriptor, size: size, directory: directory, limit: limits.textBytes))
        }
    }

    /// Whether the archive holds a file at `part`.
    func contains(_ part: String) -> Bool { entries[part] != nil }

    /// The bytes of `part`, or ``LoaderError/malformedDocument(file:part:problem:)`` when it is missing.
    func data(_ part: String) throws -> Data {
        guard let data = try dataIfPresent(part) else {
            throw LoaderError.malformedDocument(file: file, part: part, problem: "is missing from the archive")
        }
        return data
    }

    /// The bytes of `part`, nil when the archive has no such file. Decompressed as a stream,
    /// stopping with ``LoaderError/decompressedTooLarge(file:part:limit:)`` once the parts read
    /// pass the limit together.
    func dataIfPresent(_ part: String) throws -> Data? {
        guard let entry = entries[part] else { return nil }
        var data = Data()
        do {
            try ZIPEntryReader.read(entry, descriptor: descriptor, fileSize: size) { piece in
                remainingBytes -= Int64(piece.count)
                guard remainingBytes >= 0 else { throw LoaderError.decompressedTooLarge(file: file, part: part, limit: limit) }
                data.append(contentsOf: piece)
            }
        } catch let damage as ZIPEntryReader.Damage {
            throw LoaderError.corruptArchive(file: file, problem: "\(damage.problem) in '\(part)'")
        }
        return data
    }

    /// `part` parsed as XML.
    func xml(_ part: String) throws -> XMLTree {
        try XMLTree(parsing: try data(part), part: part, file: file)
    }

    /// `part` parsed as XML, nil when the archive has no such file.
    func xmlIfPresent(_ part: String) throws -> XMLTree? {
        try dataIfPresent(part).map { try XMLTree(parsing: $0, part: part, file: file) }
    }
}
