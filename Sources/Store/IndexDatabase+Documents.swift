import GRDB

/// Reading and writing documents with their chunks and vectors. Each write is one transaction.
extension IndexDatabase {
    /// The document stored at `path`, if any.
    public func document(path: String) throws -> Document? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Document.columns) FROM documents WHERE path = ?", arguments: [path])
                .map(Document.init(row:))
        }
    }

    /// The document with the id `id`, if any.
    public func document(id: Int64) throws -> Document? {
        try fetchDocuments("WHERE id = ?", [id]).first
    }

    /// A document's whole extracted text, as it was indexed (`documents_fts` stores it).
    public func documentText(id: Int64) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT text FROM documents_fts WHERE rowid = ?", arguments: [id]) }
    }

    /// Documents whose `content_hash` is `contentHash` (candidates for a moved file), by path.
    public func documents(contentHash: String) throws -> [Document] {
        try fetchDocuments("WHERE content_hash = ? ORDER BY path", [contentHash])
    }

    /// Documents read from the file `filePath` (one, or a JSONL corpus's records), by path.
    public func documents(inFile filePath: String) throws -> [Document] {
        try fetchDocuments("WHERE file_path = ? ORDER BY path", [filePath])
    }

    /// Every document, by path.
    public func allDocuments() throws -> [Document] {
        try fetchDocuments("ORDER BY path", [])
    }

    /// Documents whose path lies inside `folder` (an absolute path; a trailing "/" is ignored), by path.
    ///
    /// Compares bytes, not `LIKE` patterns: `_` and `%` in folder names match only themselves.
    /// Every path starting with "folder/" sorts in ["folder/", "folder0") since "0" follows "/".
    public func documents(under folder: String) throws -> [Document] {
        var base = folder
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        let lower = base == "/" ? "/" : base + "/"
        let upper = base == "/" ? "0" : base + "0"
        return try fetchDocuments("WHERE path >= ? AND path < ? ORDER BY path", [lower, upper])
    }

    private func fetchDocuments(_ clause: String, _ arguments: StatementArguments) throws -> [Document] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Document.columns) FROM documents \(clause)", arguments: arguments)
                .map(Document.init(row:))
        }
    }

    /// Stores `document` with its chunks and their vectors (`vectors[i]` embeds `chunks[i]`) and its
    /// whole `text` (for `documents_fts`), in one transaction, replacing any document at the same
    /// path together with its old chunks, vectors and full-text rows. Without `text`, the text is
    /// rebuilt from the chunks (``DocumentText/joined(_:)``: the same words, gaps as one space).
    ///
    /// Chunk ids and document ids are assigned here (the `id` fields given are ignored). Requires
    /// ``ensureEncoder(identity:dimension:)`` first, and every vector of the recorded dimension.
    /// If anything fails, nothing changes: the old version, if any, stays as it was.
    /// - Returns: the stored document, with its new `id`.
    @discardableResult
    public func replaceDocument(_ document: Document, chunks: [Chunk], vectors: [[Float]],
                                text: String? = nil) throws -> Document {
        guard chunks.count == vectors.count else {
            throw StoreError.vectorCountMismatch(file: location, document: document.path,
                                                 chunks: chunks.count, vectors: vectors.count)
        }
        return try write { db in try insert(document, chunks: chunks, vectors: vectors, text: text, db) }
    }

    /// What ``storeDocument(_:chunks:vectors:text:)`` did.
    public enum StoreOutcome: Sendable, Equatable {
        /// No document was stored at the path.
        case added
        /// Another version of the document was replaced.
        case updated
        /// The index already held this content at this path, from the same extraction version
        /// (another run stored it meanwhile): nothing was written.
        case alreadyStored
    }

    /// ``replaceDocument(_:chunks:vectors:text:)``, deciding in the same transaction whether the
    /// document is new, an update, or already stored with the same `contentHash` (written by a
    /// concurrent ingest of the same files): so two runs never both count a document as added.
    public func storeDocument(_ document: Document, chunks: [Chunk], vectors: [[Float]],
                              text: String? = nil) throws -> StoreOutcome {
        guard chunks.count == vectors.count else {
            throw StoreError.vectorCountMismatch(file: location, document: document.path,
                                                 chunks: chunks.count, vectors: vectors.count)
        }
        return try write { db in
            let stored = try Row.fetchOne(db, sql: "SELECT content_hash, extraction_version FROM documents WHERE path = ?",
                                          arguments: [document.path])
            if let stored, stored["content_hash"] as String? == document.contentHash,
               (stored["extraction_version"] as Int? ?? 0) >= document.extractionVersion {
                return .alreadyStored
            }
            try insert(document, chunks: chunks, vectors: vectors, text: text, db)
            return stored == nil ? .added : .updated
        }
    }

    @discardableResult
    private func insert(_ document: Document, chunks: [Chunk], vectors: [[Float]], text: String?,
                        _ db: Database) throws -> Document {
        guard let encoder = try encoder(db) else {
            throw StoreError.encoderNotRecorded(file: location, document: document.path)
        }
        try db.execute(sql: "DELETE FROM documents WHERE path = ?", arguments: [document.path])
        try db.execute(sql: """
            INSERT INTO documents(path, file_path, content_hash, size, mtime, format, title, ingested_at,
                                  extraction_version, collection)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [document.path, document.filePath, document.contentHash, document.size,
                             document.mtime, document.format, document.title, document.ingestedAt,
                             document.extractionVersion, document.collection])
        var stored = document
        stored.id = db.lastInsertedRowID
        try db.execute(sql: "INSERT INTO documents_fts(rowid, text) VALUES (?, ?)", arguments: [
            stored.id, text ?? DocumentText.joined(chunks.map { ($0.text, $0.start, $0.end) })])
        let insertChunk = try db.cachedStatement(sql: """
            INSERT INTO chunks(document_id, ordinal, text, start, "end", page, heading_path, token_count,
                               line_start, line_end, anchor, context)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertVector = try db.cachedStatement(sql: "INSERT INTO vectors(chunk_id, embedding) VALUES (?, ?)")
        for (chunk, vector) in zip(chunks, vectors) {
            guard vector.count == encoder.dimension else {
                throw StoreError.dimensionMismatch(file: location, document: document.path, chunk: chunk.ordinal,
                                                   expected: encoder.dimension, found: vector.count)
            }
            try insertChunk.execute(arguments: [stored.id, chunk.ordinal, chunk.text, chunk.start, chunk.end,
                                                chunk.page, chunk.headingPath, chunk.tokenCount,
                                                chunk.lineStart, chunk.lineEnd, chunk.anchor, chunk.context])
            try insertVector.execute(arguments: [db.lastInsertedRowID, VectorBlob.data(from: vector)])
        }
        return stored
    }

    /// Renames the document at `oldPath` to `newPath`, keeping its id, chunks, vectors and full-text
    /// rows (a moved or renamed file needs no new embeddings). `filePath` defaults to `newPath`;
    /// `size`/`mtime`, when given, record the new file's state; `title`, a new title (a title that
    /// was the file's name follows the file); `collection`, the collection it now belongs to.
    ///
    /// Throws ``StoreError/documentNotFound(file:path:)`` if `oldPath` is not stored and
    /// ``StoreError/pathTaken(file:path:)`` if `newPath` already is.
    @discardableResult
    public func moveDocument(from oldPath: String, to newPath: String, filePath: String? = nil,
                             size: Int64? = nil, mtime: Double? = nil, title: String? = nil,
                             collection: String? = nil) throws -> Document {
        try write { db in
            guard var document = try Row.fetchOne(db, sql: "SELECT \(Document.columns) FROM documents WHERE path = ?",
                                                  arguments: [oldPath]).map(Document.init(row:)) else {
                throw StoreError.documentNotFound(file: location, path: oldPath)
            }
            if oldPath != newPath,
               try Bool.fetchOne(db, sql: "SELECT 1 FROM documents WHERE path = ?", arguments: [newPath]) != nil {
                throw StoreError.pathTaken(file: location, path: newPath)
            }
            document.path = newPath
            document.filePath = filePath ?? newPath
            document.size = size ?? document.size
            document.mtime = mtime ?? document.mtime
            document.title = title ?? document.title
            document.collection = collection ?? document.collection
            try db.execute(sql: """
                UPDATE documents SET path = ?, file_path = ?, size = ?, mtime = ?, title = ?, collection = ? WHERE id = ?
                """, arguments: [document.path, document.filePath, document.size, document.mtime, document.title,
                                 document.collection, document.id])
            return document
        }
    }

    /// Puts the documents read from `filePath` into `collection` (a later ingest named another one).
    public func setCollection(_ collection: String, filePath: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE documents SET collection = ? WHERE file_path = ? AND collection IS NOT ?",
                           arguments: [collection, filePath, collection])
        }
    }

    /// Records a new size and mtime for the documents read from `filePath` (the file was touched,
    /// not edited; or all records of a JSONL file are now stored).
    public func updateFileState(filePath: String, size: Int64, mtime: Double) throws {
        try write { db in
            try db.execute(sql: "UPDATE documents SET size = ?, mtime = ? WHERE file_path = ?",
                           arguments: [size, mtime, filePath])
        }
    }

    /// Removes the document at `path` with its chunks, vectors and full-text rows (by cascade).
    /// - Returns: whether there was such a document.
    @discardableResult
    public func removeDocument(path: String) throws -> Bool {
        try removeDocuments(paths: [path]) == 1
    }

    /// Removes the documents at `paths`, in one transaction.
    /// - Returns: how many were stored (and are now gone).
    @discardableResult
    public func removeDocuments(paths: [String]) throws -> Int {
        try write { db in
            let delete = try db.cachedStatement(sql: "DELETE FROM documents WHERE path = ?")
            var removed = 0
            for path in paths {
                try delete.execute(arguments: [path])
                removed += db.changesCount
            }
            return removed
        }
    }
}
