import Foundation
import ZIPFoundation

/// A zip-based document (DOCX, ODT, PPTX, EPUB) opened for reading its parts, with every way it
/// can be bad turned into a ``LoaderError`` that names the file.
///
/// - The file is opened as ``RegularFile`` opens every file (only a regular file within
///   ``FileSizeLimits/archiveBytes``), and ZIPFoundation reads that same open file through
///   `/dev/fd/N`, never the path again (which could have been swapped for a FIFO since).
/// - An encrypted document is named as such: an Office file saved with a password (an OLE
///   compound file, not a zip), a zip whose entries are encrypted (``ZIPEncryptedEntries``); the
///   formats' own encryption (OpenDocument's manifest, EPUB's `encryption.xml`) is checked by
///   their loaders.
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
    private let archive: Archive
    /// The archive's file entries by path (directories and symbolic links are never read).
    private let entries: [String: Entry]
    /// Decompressed bytes the parts may still take, together.
    private var remainingBytes: Int64
    private let limit: Int64

    /// The first bytes of an OLE compound file: how Office stores a password-protected document
    /// (an `EncryptedPackage` stream; MS-OFFCRYPTO 2.3.4.4), as well as the old binary formats.
    static let compoundFileSignature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    private init(file: String, archive: Archive, limit: Int64) {
        self.file = file
        self.archive = archive
        self.limit = limit
        remainingBytes = limit
        var entries: [String: Entry] = [:]
        for entry in archive where entry.type == .file && entries[entry.path] == nil { entries[entry.path] = entry }
        self.entries = entries
    }

    /// Opens `file` and runs `body` on it; the file is closed afterwards.
    static func read<T>(_ file: URL, limits: FileSizeLimits = .current, _ body: (DocumentArchive) throws -> T) throws -> T {
        let path = file.path
        return try RegularFile.withOpened(path, limit: limits.archiveBytes) { descriptor, size in
            var signature = [UInt8](repeating: 0, count: compoundFileSignature.count)
            let got = signature.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
            if got == signature.count && signature == compoundFileSignature {
                throw LoaderError.encrypted(file: path, detail: "an OLE compound file, not a zip: a password-protected "
                                            + "Office document, or an old binary .doc or .ppt renamed")
            }
            guard let encrypted = ZIPEncryptedEntries.names(descriptor: descriptor, size: size) else {
                throw LoaderError.corruptArchive(file: path, problem: "no end-of-central-directory record: truncated, or not a zip file")
            }
            if !encrypted.isEmpty {
                throw LoaderError.encrypted(file: path, detail: "a password-protected zip: "
                                            + (encrypted.count == 1 ? "its entry '\(encrypted[0])' is encrypted"
                                               : "\(encrypted.count) entries are encrypted, the first '\(encrypted[0])'"))
            }
            let archive: Archive
            do {
                archive = try Archive(url: URL(fileURLWithPath: "/dev/fd/\(descriptor)"), accessMode: .read)
            } catch {
                throw LoaderError.corruptArchive(file: path, problem: describe(error, part: nil))
            }
            return try body(DocumentArchive(file: path, archive: archive, limit: limits.textBytes))
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
            _ = try archive.extract(entry, skipCRC32: false) { piece in
                remainingBytes -= Int64(piece.count)
                guard remainingBytes >= 0 else { throw LoaderError.decompressedTooLarge(file: file, part: part, limit: limit) }
                data.append(piece)
            }
        } catch let error as LoaderError {
            throw error
        } catch {
            throw LoaderError.corruptArchive(file: file, problem: Self.describe(error, part: part))
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

    /// ZIPFoundation's errors in words.
    private static func describe(_ error: Error, part: String?) -> String {
        let entry = part.map { " in '\($0)'" } ?? ""
        switch error {
        case Archive.ArchiveError.missingEndOfCentralDirectoryRecord:
            return "no end-of-central-directory record: truncated, or not a zip file"
        case Archive.ArchiveError.invalidCRC32: return "checksum mismatch\(entry): the data is damaged"
        case Archive.ArchiveError.invalidCompressionMethod: return "unsupported compression method\(entry)"
        case Archive.ArchiveError.unreadableArchive: return "damaged or unreadable archive\(entry)"
        default: return "damaged data\(entry) (\(error))"   // ZIPFoundation's inflate errors are internal types
        }
    }
}
