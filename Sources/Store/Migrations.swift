import GRDB

/// The index schema, as an append-only list of SQL migrations.
///
/// A shipped migration is never edited: a change to the schema is a new entry at the end. GRDB
/// records applied identifiers in `grdb_migrations`; `metadata.schema_version` mirrors the count
/// for scripts. Docs/IndexSchema.md explains every table and column.
enum Migrations {
    /// `(identifier, SQL, backfill)` in the order they run; `backfill`, when present, runs after the
    /// SQL in the same transaction (to fill a new table from rows already stored).
    static let all: [(identifier: String, sql: String, backfill: (@Sendable (Database) throws -> Void)?)] = [
        ("v1-documents-chunks-vectors-fts", v1, nil),
        ("v2-documents-fts", v2, { db in try DocumentText.backfillDocumentsFullText(db) }),
        ("v3-chunk-lines-anchors", v3, nil),
        ("v4-vector-set-changes", v4, nil),
        ("v5-chunk-context", v5, nil),
        ("v6-document-collections", v6, nil),
    ]

    /// The value written to `metadata.schema_version` once every migration has run.
    static var schemaVersion: Int { all.count }

    /// A migrator that runs ``all`` (each in its own transaction, foreign keys checked after).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (index, migration) in all.enumerated() {
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.sql)
                try migration.backfill?(db)
                try db.execute(sql: "INSERT OR REPLACE INTO metadata(key, value) VALUES ('schema_version', ?)",
                               arguments: [String(index + 1)])
            }
        }
        return migrator
    }

    /// Version 1: documents, their chunks, one vector per chunk, and an FTS5 index of chunk text.
    ///
    /// - `chunks.id` is AUTOINCREMENT so a deleted chunk's id is never handed to another chunk: a
    ///   vector index loaded earlier can at worst miss a chunk, never point at the wrong text.
    /// - `chunks_fts` is an external-content FTS5 table over `chunks.text`, kept in sync by the
    ///   three triggers (the 'delete' command needs the old text, which the trigger supplies).
    ///   FK cascades fire these triggers, so deleting a document empties its FTS rows too.
    /// - `vectors_check_dimension` refuses a BLOB whose length is not 4 × `metadata.dimension`,
    ///   whoever writes it.
    static let v1 = """
        CREATE TABLE metadata (
            key   TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        );
        CREATE TABLE documents (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            path         TEXT UNIQUE NOT NULL,
            file_path    TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            size         INTEGER NOT NULL,
            mtime        REAL NOT NULL,
            format       TEXT NOT NULL,
            title        TEXT,
            ingested_at  REAL NOT NULL
        );
        CREATE INDEX documents_by_content_hash ON documents(content_hash);
        CREATE INDEX documents_by_file_path ON documents(file_path);
        CREATE TABLE chunks (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ordinal     INTEGER NOT NULL,
            text        TEXT NOT NULL,
            start       INTEGER NOT NULL,
            "end"       INTEGER NOT NULL,
            page        INTEGER,
            heading_path TEXT,
            token_count INTEGER NOT NULL,
            UNIQUE (document_id, ordinal)
        );
        CREATE TABLE vectors (
            chunk_id  INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
            embedding BLOB NOT NULL
        );
        CREATE TRIGGER vectors_check_dimension BEFORE INSERT ON vectors
        WHEN length(NEW.embedding) <> 4 * (SELECT CAST(value AS INTEGER) FROM metadata WHERE key = 'dimension')
        BEGIN
            SELECT RAISE(ABORT, 'embedding length is not 4 x metadata.dimension');
        END;
        CREATE VIRTUAL TABLE chunks_fts USING fts5(
            text, content = 'chunks', content_rowid = 'id',
            tokenize = 'porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER chunks_fts_after_insert AFTER INSERT ON chunks BEGIN
            INSERT INTO chunks_fts(rowid, text) VALUES (NEW.id, NEW.text);
        END;
        CREATE TRIGGER chunks_fts_after_delete AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
        END;
        CREATE TRIGGER chunks_fts_after_update AFTER UPDATE OF text ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
            INSERT INTO chunks_fts(rowid, text) VALUES (NEW.id, NEW.text);
        END;
        """

    /// Version 2: an FTS5 index of each document's WHOLE text, for keyword ranking of documents.
    ///
    /// BM25 over `chunks_fts` counts term frequencies and lengths per chunk (SciFact's 5,183
    /// abstracts are 10,272 chunks); `documents_fts` counts them per document, as the published
    /// keyword baselines do. `rowid` = `documents.id`. A plain FTS5 table (it stores its text):
    /// SQLite 3.40 has no contentless-delete, and `documents` keeps no text to point at.
    /// `replaceDocument` inserts the row; the trigger removes it with its document (replace,
    /// remove); a move keeps the id and so the row. Existing indexes are filled from their chunks
    /// (``DocumentText/backfillDocumentsFullText(_:)``): no re-embedding.
    static let v2 = """
        CREATE VIRTUAL TABLE documents_fts USING fts5(
            text, tokenize = 'porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER documents_fts_after_delete AFTER DELETE ON documents BEGIN
            DELETE FROM documents_fts WHERE rowid = OLD.id;
        END;
        """

    /// Version 3: where a chunk is in its file, for citations a person can open: the 1-based lines
    /// it spans (text, Markdown and code, whose extracted text is the file's text) and the HTML
    /// anchor (`id`) in force where it starts. NULL where unknown; rows written before this version
    /// get them when the ingest re-extracts their documents: `documents.extraction_version` says
    /// which version of text extraction wrote a document (1 for every document before v3).
    static let v3 = """
        ALTER TABLE documents ADD COLUMN extraction_version INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE chunks ADD COLUMN line_start INTEGER;
        ALTER TABLE chunks ADD COLUMN line_end INTEGER;
        ALTER TABLE chunks ADD COLUMN anchor TEXT;
        """

    /// Version 4: what a derived copy of the vectors (the `-vectors` file beside the index, see
    /// `VectorFile`) needs to prove it is current, kept by triggers so that every writer, including
    /// a script with any SQLite client, keeps it right.
    ///
    /// - `vector_set` (one row): `insertions` and `removals` count every row ever inserted into and
    ///   deleted from `vectors` (an UPDATE counts as both), so `insertions − removals` is the number
    ///   of vectors without a `count(*)` (which reads all 1.5 GB at a million chunks). `identity` is
    ///   random per index file, so a vector file left beside another index is never taken for its own.
    /// - `vector_removals` logs the chunk id of every removed (or rewritten) vector in order: a
    ///   vector file built at removal `seq` S stays usable by leaving out the ids logged after S,
    ///   instead of being rebuilt after each re-ingested document. One 16-byte row per removal.
    ///
    /// Existing indexes get the counters from their rows: no re-embedding, nothing else read.
    static let v4 = """
        CREATE TABLE vector_set (
            id         INTEGER PRIMARY KEY CHECK (id = 1),
            identity   TEXT NOT NULL,
            insertions INTEGER NOT NULL,
            removals   INTEGER NOT NULL
        );
        INSERT INTO vector_set(id, identity, insertions, removals)
        VALUES (1, lower(hex(randomblob(16))), (SELECT count(*) FROM vectors), 0);
        CREATE TABLE vector_removals (
            seq      INTEGER PRIMARY KEY AUTOINCREMENT,
            chunk_id INTEGER NOT NULL
        );
        CREATE TRIGGER vectors_count_insert AFTER INSERT ON vectors BEGIN
            UPDATE vector_set SET insertions = insertions + 1 WHERE id = 1;
        END;
        CREATE TRIGGER vectors_log_delete AFTER DELETE ON vectors BEGIN
            INSERT INTO vector_removals(chunk_id) VALUES (OLD.chunk_id);
            UPDATE vector_set SET removals = removals + 1 WHERE id = 1;
        END;
        CREATE TRIGGER vectors_log_update AFTER UPDATE ON vectors BEGIN
            INSERT INTO vector_removals(chunk_id) VALUES (OLD.chunk_id);
            UPDATE vector_set SET insertions = insertions + 1, removals = removals + 1 WHERE id = 1;
        END;
        """

    /// Version 5: where a chunk is, for BM25 as well as for the encoder. `chunks.context` holds
    /// what the ingest put before the chunk's text when embedding it ("Title > Section >
    /// Subsection", see `ChunkContext`; NULL when the chunk starts with it, and for rows written
    /// before this version until their document is ingested again), and `chunks_fts` indexes it as
    /// a second column beside the text, so a passage deep in a long document matches the words of
    /// its headings. The FTS table is rebuilt from `chunks` (no re-embedding).
    static let v5 = """
        ALTER TABLE chunks ADD COLUMN context TEXT;
        DROP TRIGGER chunks_fts_after_insert;
        DROP TRIGGER chunks_fts_after_delete;
        DROP TRIGGER chunks_fts_after_update;
        DROP TABLE chunks_fts;
        CREATE VIRTUAL TABLE chunks_fts USING fts5(
            text, context, content = 'chunks', content_rowid = 'id',
            tokenize = 'porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER chunks_fts_after_insert AFTER INSERT ON chunks BEGIN
            INSERT INTO chunks_fts(rowid, text, context) VALUES (NEW.id, NEW.text, NEW.context);
        END;
        CREATE TRIGGER chunks_fts_after_delete AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text, context) VALUES ('delete', OLD.id, OLD.text, OLD.context);
        END;
        CREATE TRIGGER chunks_fts_after_update AFTER UPDATE OF text, context ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text, context) VALUES ('delete', OLD.id, OLD.text, OLD.context);
            INSERT INTO chunks_fts(rowid, text, context) VALUES (NEW.id, NEW.text, NEW.context);
        END;
        INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild');
        """

    /// Version 6: the collection a document belongs to (`trove ingest PATH --collection NAME`; by
    /// default the name of the folder ingested), so that a search can keep to one. NULL for rows
    /// written before this version: the next ingest of their folder tags them, without reading or
    /// embedding anything again.
    static let v6 = """
        ALTER TABLE documents ADD COLUMN collection TEXT;
        CREATE INDEX documents_by_collection ON documents(collection);
        """
}
