import Foundation
import Store

/// The state of one `IngestPipeline.ingest` call: the report so far and the documents waiting for
/// their embeddings.
final class IngestRun {
    let pipeline: IngestPipeline
    var report = IngestReport()
    private let started = Date()

    /// A document read and chunked, waiting for `flush` to embed and store it.
    private struct Pending {
        var document: Document
        var chunks: [DocumentChunk]
        /// The loaded text, whole: `documents_fts` ranks documents by it.
        var text: String
        /// The title found in the content (not the file-name fallback): chunk context must not
        /// depend on where the file is, or a moved file's reused vectors would differ from a fresh
        /// ingest's.
        var contentTitle: String?
    }
    private var pending: [Pending] = []
    private var pendingChunks = 0
    /// Word pieces of the chunks read (queued or written) and the bytes of the files they came
    /// from; word pieces embedded and written. What the encoder does is counted in word pieces,
    /// so the rate and the time left are too (a file found unchanged costs neither).
    private var wordPiecesRead = 0, bytesRead: Int64 = 0, wordPiecesWritten = 0

    /// `mtime` stored on the records of a JSONL file until all of them are written, so that a run
    /// interrupted in the middle of the file never finds it "unchanged" by size and mtime.
    static let incompleteMTime = -1.0

    init(pipeline: IngestPipeline) { self.pipeline = pipeline }

    private var database: IndexDatabase { pipeline.database }

    /// Brings the documents of one file up to date (see ``IngestPipeline`` for the steps).
    func ingest(_ file: FileState) throws {
        let stored = try database.documents(inFile: file.path)
        if !stored.isEmpty, stored.allSatisfy({ $0.size == file.size && $0.mtime == file.mtime && isCurrent($0) }) {
            try keepCollection(of: file, stored: stored)
            report.unchanged += stored.count
            return
        }
        if file.path.lowercased().hasSuffix(".jsonl") {
            try ingestRecords(of: file, stored: stored)
        } else {
            try ingestDocument(file, stored: stored.first { $0.path == file.path })
        }
    }

    /// A file that is one document: hash, then unchanged, moved, or read and queued.
    private func ingestDocument(_ file: FileState, stored: Document?) throws {
        let hash: String
        do { hash = try RegularFile.sha256(file.path, limit: file.limit) } catch { return skip(file.path, error) }
        if let stored, stored.contentHash == hash, isCurrent(stored) {
            try database.updateFileState(filePath: file.path, size: file.size, mtime: file.mtime)
            try keepCollection(of: file, stored: [stored])
            report.unchanged += 1
            return
        }
        if stored == nil, let origin = try movedOrigin(hash: hash, isRecord: false), isCurrent(origin) {
            // A title that was the old file name becomes the new one (a title from the text stays).
            let oldName = URL(fileURLWithPath: origin.filePath).lastPathComponent
            let title = origin.title == oldName ? URL(fileURLWithPath: file.path).lastPathComponent : nil
            try database.moveDocument(from: origin.path, to: file.path, size: file.size, mtime: file.mtime, title: title,
                                      collection: file.collection)
            report.moved += 1
            return
        }
        let loaded: [LoadedDocument]
        do { loaded = try pipeline.loader(URL(fileURLWithPath: file.path), pipeline.fileSizeLimits).documents } catch {
            return skip(file.path, error)
        }
        bytesRead += file.size
        for document in loaded {
            let contentHash = loaded.count == 1 ? hash : ContentHash.sha256(document.text)
            try enqueue(document, file: file, contentHash: contentHash, mtime: file.mtime)
        }
    }

    /// A JSONL corpus: each record is compared by the hash of its text; records gone from the file
    /// are removed; the file's size and mtime are recorded once every record is stored. Malformed
    /// lines are reported with their line numbers (the first ``malformedLinesReported``, then a
    /// count), and while there are any the file's state is not recorded, so the next run reads it
    /// again and reports them again (the unchanged records cost a hash each, no embedding).
    private func ingestRecords(of file: FileState, stored: [Document]) throws {
        var records: [String: LoadedDocument] = [:]
        var order: [String] = []
        let loaded: LoadedFile
        do { loaded = try pipeline.loader(URL(fileURLWithPath: file.path), pipeline.fileSizeLimits) } catch {
            return skip(file.path, error)
        }
        bytesRead += file.size
        for record in loaded.documents where records.updateValue(record, forKey: record.path) == nil {
            order.append(record.path)
        }
        reportMalformed(loaded.malformedRecords, in: file.path)
        let storedByPath = Dictionary(stored.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        for path in order {
            guard let record = records[path] else { continue }
            let hash = ContentHash.sha256(record.text)
            if let old = storedByPath[path] {
                if old.contentHash == hash && isCurrent(old) { report.unchanged += 1; continue }
            } else if let origin = try movedOrigin(hash: hash, isRecord: true) {
                try database.moveDocument(from: origin.path, to: path, filePath: file.path,
                                          size: file.size, mtime: Self.incompleteMTime, collection: file.collection)
                report.moved += 1
                continue
            }
            try enqueue(record, file: file, contentHash: hash, mtime: Self.incompleteMTime)
        }
        report.removed += try database.removeDocuments(paths: stored.map(\.path).filter { records[$0] == nil })
        try flush()
        try keepCollection(of: file, stored: stored)
        if loaded.malformedRecords.isEmpty {
            try database.updateFileState(filePath: file.path, size: file.size, mtime: file.mtime)
        }
    }

    /// Malformed lines of a JSONL file listed one by one up to this many, then counted.
    static let malformedLinesReported = 10

    /// Adds a file's malformed JSONL lines to the report, each as "line N: problem".
    private func reportMalformed(_ malformed: [LoaderError], in path: String) {
        for error in malformed.prefix(Self.malformedLinesReported) {
            report.skipped.append(SkippedFile(path: path, reason: "record skipped: \(error.problem)"))
        }
        if malformed.count > Self.malformedLinesReported {
            report.skipped.append(SkippedFile(path: path,
                reason: "\(malformed.count - Self.malformedLinesReported) more malformed lines skipped"))
        }
    }

    /// Puts a file's stored documents into this run's collection where another one named them
    /// (one write, and only then: an unchanged folder costs no write).
    private func keepCollection(of file: FileState, stored: [Document]) throws {
        guard stored.contains(where: { $0.collection != file.collection }) else { return }
        try database.setCollection(file.collection, filePath: file.path)
    }

    /// Whether `document` was extracted by this version of the loaders (else it is read again).
    private func isCurrent(_ document: Document) -> Bool {
        document.extractionVersion >= DocumentLoader.extractionVersion
    }

    /// A stored document with this content whose file no longer exists: the file was moved or
    /// renamed, so its chunks and vectors can be reused. `isRecord` keeps JSONL records and whole
    /// files apart.
    private func movedOrigin(hash: String, isRecord: Bool) throws -> Document? {
        try database.documents(contentHash: hash).first { candidate in
            (candidate.path != candidate.filePath) == isRecord && !FileName.exists(candidate.filePath)
        }
    }

    /// Chunks `loaded` and queues it; embeds the queue once it holds a batch of chunks.
    private func enqueue(_ loaded: LoadedDocument, file: FileState, contentHash: String, mtime: Double) throws {
        let title = loaded.title ?? URL(fileURLWithPath: file.path).lastPathComponent
        let document = Document(path: loaded.path, filePath: file.path, contentHash: contentHash, size: file.size,
                                mtime: mtime, format: loaded.format.rawValue, title: title,
                                extractionVersion: DocumentLoader.extractionVersion, collection: file.collection)
        let chunks = pipeline.chunker.chunks(of: loaded)
        pending.append(Pending(document: document, chunks: chunks, text: loaded.text, contentTitle: loaded.title))
        pendingChunks += chunks.count
        wordPiecesRead += chunks.reduce(0) { $0 + $1.tokenCount }
        if pendingChunks >= pipeline.embeddingBatchSize { try flush() }
    }

    /// Embeds every queued chunk (in calls of `embeddingBatchSize` texts), then writes each queued
    /// document (with its whole text, for document-level keyword ranking) in its own transaction.
    func flush() throws {
        guard !pending.isEmpty else { return }
        // The encoder reads each chunk after its title and heading path, stored beside it for BM25.
        let contexts = pending.map { item in
            item.chunks.map { ChunkContext.context(of: $0.text, headingPath: $0.headingPath, title: item.contentTitle) }
        }
        let texts = zip(pending, contexts).flatMap { item, contexts in
            zip(item.chunks, contexts).map { ChunkContext.embeddedText($0.text, context: $1) }
        }
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        let batch = max(pipeline.embeddingBatchSize, 1)
        for start in stride(from: 0, to: texts.count, by: batch) {
            vectors += try pipeline.encoder.embed(Array(texts[start ..< min(start + batch, texts.count)]))
        }
        guard vectors.count == texts.count else {
            throw StoreError.vectorCountMismatch(file: database.location, document: pending[0].document.path,
                                                 chunks: texts.count, vectors: vectors.count)
        }
        var offset = 0
        for (item, contexts) in zip(pending, contexts) {
            let chunks = zip(item.chunks, contexts).map { chunk, context in
                Chunk(ordinal: chunk.ordinal, text: chunk.text, start: chunk.start, end: chunk.end,
                      page: chunk.page, headingPath: chunk.headingPath, tokenCount: chunk.tokenCount,
                      lineStart: chunk.lineStart, lineEnd: chunk.lineEnd, anchor: chunk.anchor, context: context)
            }
            // Added, updated or already stored is decided in the write's transaction: a concurrent
            // ingest of the same file may have stored it since this run looked.
            let outcome = try database.storeDocument(item.document, chunks: chunks,
                                                     vectors: Array(vectors[offset ..< offset + chunks.count]), text: item.text)
            offset += chunks.count
            switch outcome {
            case .added: report.added += 1
            case .updated: report.updated += 1
            case .alreadyStored: report.unchanged += 1
            }
            let pieces = chunks.reduce(0) { $0 + $1.tokenCount }
            if outcome != .alreadyStored {
                report.chunksWritten += chunks.count
                report.wordPiecesWritten += pieces
            }
            wordPiecesWritten += pieces
        }
        pending.removeAll()
        pendingChunks = 0
    }

    /// Records a file that could not be read; the loader's message starts with the path, which the
    /// report already carries.
    private func skip(_ path: String, _ error: any Error) {
        if let error = error as? LoaderError, error.file == path {
            return report.skipped.append(SkippedFile(path: path, reason: error.problem))
        }
        var reason = "\(error)"
        if reason.hasPrefix(path + ": ") { reason.removeFirst(path.count + 2) }
        report.skipped.append(SkippedFile(path: path, reason: reason))
    }

    /// Progress after a file. The time left is the word pieces left over the word pieces embedded
    /// per second so far: those read and not yet embedded, plus the files not yet read at the word
    /// pieces per byte of the files read so far. Before anything was read (so far every file was
    /// unchanged) it is extrapolated from the bytes done.
    func progress(filesDone: Int, filesTotal: Int, currentPath: String, doneBytes: Int64, totalBytes: Int64) -> IngestProgress {
        let elapsed = Date().timeIntervalSince(started)
        var remaining = doneBytes > 0 ? elapsed * Double(totalBytes - doneBytes) / Double(doneBytes) : nil
        if bytesRead > 0, wordPiecesWritten > 0 {
            let piecesLeft = Double(wordPiecesRead - wordPiecesWritten)
                + Double(totalBytes - doneBytes) * Double(wordPiecesRead) / Double(bytesRead)
            remaining = piecesLeft / (Double(wordPiecesWritten) / elapsed)
        }
        return IngestProgress(filesDone: filesDone, filesTotal: filesTotal, chunksWritten: report.chunksWritten,
                              chunksPerSecond: elapsed > 0 ? Double(report.chunksWritten) / elapsed : 0,
                              secondsRemaining: remaining, currentPath: currentPath)
    }

    /// The report, with the run's duration.
    func finish() -> IngestReport {
        report.seconds = Date().timeIntervalSince(started)
        return report
    }
}
