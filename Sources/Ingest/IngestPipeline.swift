import Foundation
import Store

/// Brings an index up to date with files and folders: new and edited files are read, chunked,
/// embedded and stored; touched, unchanged and renamed files cost no embedding; files gone from
/// an ingested folder leave the index.
///
/// ```swift
/// let pipeline = IngestPipeline(database: index, encoder: embedder)
/// let report = try pipeline.ingest(paths: [URL(fileURLWithPath: "Notes")]) { progress in
///     print("\(progress.filesDone)/\(progress.filesTotal) files, \(Int(progress.chunksPerSecond)) chunks/s")
/// }
/// print(report.added, report.updated, report.skipped.count)
/// ```
///
/// Per file (paths absolute and standardised; a JSONL record is `<file>#<_id>`):
/// 0. only a regular file within ``fileSizeLimits`` is read: a device, FIFO, socket or larger file
///    is reported in ``IngestReport/skipped`` (see ``RegularFile`` for how reading stays bounded);
/// 1. same size and mtime as stored → unchanged, the file is not even read;
/// 2. else the SHA-256 of its bytes: same as stored → unchanged (new mtime recorded); same as a
///    document whose file no longer exists → moved (renamed in the index, vectors kept);
/// 3. else load, chunk, embed, and `replaceDocument` → added or updated.
/// JSONL corpora hash each record's text instead, so an edited record costs one embedding; a
/// malformed line is reported (with its line number) and the other records are ingested.
///
/// Chunks of several documents share one `encoder.embed` call (``embeddingBatchSize``), but each
/// document is written in its own transaction: an ingest stopped at any point, `kill -9`
/// included, leaves a consistent index in which a half-done document is simply absent, and the
/// next run completes the work. A file that cannot be read is reported in
/// ``IngestReport/skipped`` and whatever the index held for it stays.
public struct IngestPipeline {
    /// The index written to.
    public let database: IndexDatabase
    /// Embeds chunk texts; its identity and dimension are recorded in (and checked against) the index.
    public let encoder: any ChunkEncoder
    /// Cuts each loaded document into chunks that fit the encoder's window.
    public let chunker: Chunker
    /// Reads a file into documents (``DocumentLoader/loadFile(_:limits:)`` unless a test says
    /// otherwise), given ``fileSizeLimits``.
    public let loader: (URL, FileSizeLimits) throws -> LoadedFile
    /// Lists the files of a folder (``FolderWalker`` unless a test says otherwise).
    public let walker: (URL) -> (files: [URL], skipped: [SkippedFile])
    /// Chunks gathered before one `encoder.embed` call (several small documents share a call; a large
    /// document is embedded in calls of this size).
    public var embeddingBatchSize = 64
    /// The largest file read, by format; larger ones are skipped with a message.
    public var fileSizeLimits: FileSizeLimits

    /// A pipeline writing into `database` with `encoder`; the chunker defaults to the encoder's
    /// window, the size limits to ``FileSizeLimits/current`` (``FileSizeLimits/standard`` unless
    /// the caller bound others).
    public init(database: IndexDatabase, encoder: any ChunkEncoder, chunker: Chunker? = nil,
                fileSizeLimits: FileSizeLimits = .current,
                loader: @escaping (URL, FileSizeLimits) throws -> LoadedFile = DocumentLoader.loadFile,
                walker: @escaping (URL) -> (files: [URL], skipped: [SkippedFile]) = { FolderWalker(root: $0).walk() }) {
        self.database = database
        self.fileSizeLimits = fileSizeLimits
        self.encoder = encoder
        self.chunker = chunker ?? Chunker(maxTokens: encoder.maxTokens, countTokens: { encoder.wordPieceCount($0) })
        self.loader = loader
        self.walker = walker
    }

    /// Ingests files and folders (recursively), then removes from the index the documents under each
    /// folder whose files are gone. Records the encoder in the index on first use and refuses a
    /// different one (``StoreError/encoderMismatch(file:storedIdentity:storedDimension:givenIdentity:givenDimension:)``).
    ///
    /// Every document read or found unchanged is put into `collection`, or where that is nil into
    /// the collection named after the folder given (a file given alone: after its folder), see
    /// ``defaultCollection(ofPath:isFolder:)``. A file given twice belongs to the first path naming it.
    ///
    /// Throws only for what stops the whole run (the index cannot be written, the encoder fails);
    /// unreadable files are reported in ``IngestReport/skipped``.
    public func ingest(paths: [URL], collection: String? = nil,
                       progress: ((IngestProgress) -> Void)? = nil) throws -> IngestReport {
        try database.ensureEncoder(identity: encoder.identity, dimension: encoder.dimension, precision: encoder.vectorPrecision)
        let run = IngestRun(pipeline: self)
        var folders: [(root: String, files: Set<String>, skipped: Set<String>)] = []
        var files: [FileState] = []
        var seen = Set<String>()
        for url in paths {
            let path = Self.standardizedPath(url)
            var info = stat()
            guard FileName.withFileSystemPath(path, { stat($0, &info) }) == 0 else {
                run.report.skipped.append(SkippedFile(path: path, reason: "no such file or folder"))
                continue
            }
            var found = [path]
            let isFolder = (info.st_mode & S_IFMT) == S_IFDIR
            let collection = collection ?? Self.defaultCollection(ofPath: path, isFolder: isFolder)
            if isFolder {
                let walk = walker(URL(fileURLWithPath: path, isDirectory: true))
                found = walk.files.map { Self.standardizedPath($0) }
                run.report.skipped += walk.skipped
                folders.append((path, Set(found), Set(walk.skipped.map(\.path))))
            }
            for file in found where seen.insert(file).inserted {
                do { files.append(try FileState(path: file, limits: fileSizeLimits, collection: collection)) } catch let skip as SkippedFile {
                    run.report.skipped.append(skip)
                }
            }
        }

        let totalBytes = files.reduce(0) { $0 + $1.size }
        var doneBytes: Int64 = 0
        for (index, file) in files.enumerated() {
            try run.ingest(file)
            doneBytes += file.size
            progress?(run.progress(filesDone: index + 1, filesTotal: files.count, currentPath: file.path,
                                   doneBytes: doneBytes, totalBytes: totalBytes))
        }
        try run.flush()
        if let last = files.last {   // the totals, once the last chunks are written
            progress?(run.progress(filesDone: files.count, filesTotal: files.count, currentPath: last.path,
                                   doneBytes: totalBytes, totalBytes: totalBytes))
        }
        for folder in folders {
            let gone = try database.documents(under: folder.root).filter { document in
                !folder.files.contains(document.filePath)
                    && (!folder.skipped.contains(document.filePath) || !FileName.exists(document.filePath))
            }
            run.report.removed += try database.removeDocuments(paths: gone.map(\.path))
        }
        return run.finish()
    }

    /// The collection of what `trove ingest PATH` reads when no `--collection` is given: the name of
    /// the folder (`~/notes` → "notes"), or for a file given alone the name of the folder holding it.
    public static func defaultCollection(ofPath path: String, isFolder: Bool) -> String {
        let folder = isFolder ? path : (path as NSString).deletingLastPathComponent
        let name = (folder as NSString).lastPathComponent
        return name.isEmpty ? "/" : name
    }

    /// `url` as the index stores it: an absolute path (relative ones resolved against the current
    /// folder) without `.`, `..` or a trailing "/". Symbolic links are kept, so a document keeps
    /// the path the user sees. Use it to look up or remove a path given on a command line.
    public static func standardizedPath(_ url: URL) -> String {
        var path = url.standardizedFileURL.path
        if !path.hasPrefix("/") {
            path = URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/" + path).standardizedFileURL.path
        }
        return path
    }
}

/// A regular file's path, size and modification time, from `stat` (which follows symbolic links).
struct FileState {
    let path: String
    let size: Int64
    /// Seconds since 1970 with the nanoseconds `stat` gives.
    let mtime: Double
    /// The format it is read as (nil: an extension Trove does not read; the loader says so).
    let format: DocumentFormat?
    /// The most bytes read from it (its format's limit).
    let limit: Int64
    /// The collection its documents go into.
    let collection: String

    /// Stats `path`; throws a ``SkippedFile`` with the reason when it cannot be stated, is not a
    /// regular file, or is above its format's limit.
    init(path: String, limits: FileSizeLimits, collection: String) throws {
        format = DocumentLoader.format(of: URL(fileURLWithPath: path))
        limit = limits.bytes(for: format)
        let info: stat
        do { info = try RegularFile.check(path, limit: limit) } catch let error as LoaderError {
            if case .unreadable(_, let reason) = error { throw SkippedFile(path: path, reason: reason) }
            throw SkippedFile(path: path, reason: error.problem)
        }
        self.path = path
        self.collection = collection
        size = Int64(info.st_size)
        #if canImport(Darwin)
        mtime = Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
        #else
        mtime = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #endif
    }
}

extension SkippedFile: Error {}
