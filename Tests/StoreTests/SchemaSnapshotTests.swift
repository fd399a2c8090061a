import Foundation
import Testing
@testable import Store
import GRDB

/// The schema is a public contract (scripts read the file with any SQLite client; README shows it):
/// any change to it must show up here, and in a new migration.
@Suite("Schema")
struct SchemaSnapshotTests {
    @Test("sqlite_master matches the documented schema", arguments: IndexKind.allCases)
    func snapshot(kind: IndexKind) throws {
        try withIndex(kind, dimension: nil) { (database) throws in
            let rows = try database.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT type, name, sql FROM sqlite_master
                    WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY type, name
                    """).map { "\($0[0] as String) \($0[1] as String)\n\(($0[2] as String?) ?? "-")" }
            }
            #expect(rows.joined(separator: "\n\n") == Self.expected)
        }
    }

    static let expected = """
        index documents_by_collection
        CREATE INDEX documents_by_collection ON documents(collection)

        index documents_by_content_hash
        CREATE INDEX documents_by_content_hash ON documents(content_hash)

        index documents_by_file_path
        CREATE INDEX documents_by_file_path ON documents(file_path)

        table chunks
        CREATE TABLE chunks (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ordinal     INTEGER NOT NULL,
            text        TEXT NOT NULL,
            start       INTEGER NOT NULL,
            "end"       INTEGER NOT NULL,
            page        INTEGER,
            heading_path TEXT,
            token_count INTEGER NOT NULL, line_start INTEGER, line_end INTEGER, anchor TEXT, context TEXT,
            UNIQUE (document_id, ordinal)
        )

        table chunks_fts
        CREATE VIRTUAL TABLE chunks_fts USING fts5(
            text, context, content = 'chunks', content_rowid = 'id',
            tokenize = 'porter unicode61 remove_diacritics 2'
        )

        table chunks_fts_config
        CREATE TABLE 'chunks_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID

        table chunks_fts_data
        CREATE TABLE 'chunks_fts_data'(id INTEGER PRIMARY KEY, block BLOB)

        table chunks_fts_docsize
        CREATE TABLE 'chunks_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB)

        table chunks_fts_idx
        CREATE TABLE 'chunks_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID

        table documents
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
        , extraction_version INTEGER NOT NULL DEFAULT 1, collection TEXT)

        table documents_fts
        CREATE VIRTUAL TABLE documents_fts USING fts5(
            text, tokenize = 'porter unicode61 remove_diacritics 2'
        )

        table documents_fts_config
        CREATE TABLE 'documents_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID

        table documents_fts_content
        CREATE TABLE 'documents_fts_content'(id INTEGER PRIMARY KEY, c0)

        table documents_fts_data
        CREATE TABLE 'documents_fts_data'(id INTEGER PRIMARY KEY, block BLOB)

        table documents_fts_docsize
        CREATE TABLE 'documents_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB)

        table documents_fts_idx
        CREATE TABLE 'documents_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID

        table metadata
        CREATE TABLE metadata (
            key   TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        )

        table vector_removals
        CREATE TABLE vector_removals (
            seq      INTEGER PRIMARY KEY AUTOINCREMENT,
            chunk_id INTEGER NOT NULL
        )

        table vector_set
        CREATE TABLE vector_set (
            id         INTEGER PRIMARY KEY CHECK (id = 1),
            identity   TEXT NOT NULL,
            insertions INTEGER NOT NULL,
            removals   INTEGER NOT NULL
        )

        table vectors
        CREATE TABLE vectors (
            chunk_id  INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
            embedding BLOB NOT NULL
        )

        trigger chunks_fts_after_delete
        CREATE TRIGGER chunks_fts_after_delete AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text, context) VALUES ('delete', OLD.id, OLD.text, OLD.context);
        END

        trigger chunks_fts_after_insert
        CREATE TRIGGER chunks_fts_after_insert AFTER INSERT ON chunks BEGIN
            INSERT INTO chunks_fts(rowid, text, context) VALUES (NEW.id, NEW.text, NEW.context);
        END

        trigger chunks_fts_after_update
        CREATE TRIGGER chunks_fts_after_update AFTER UPDATE OF text, context ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text, context) VALUES ('delete', OLD.id, OLD.text, OLD.context);
            INSERT INTO chunks_fts(rowid, text, context) VALUES (NEW.id, NEW.text, NEW.context);
        END

        trigger documents_fts_after_delete
        CREATE TRIGGER documents_fts_after_delete AFTER DELETE ON documents BEGIN
            DELETE FROM documents_fts WHERE rowid = OLD.id;
        END

        trigger vectors_check_dimension
        CREATE TRIGGER vectors_check_dimension BEFORE INSERT ON vectors
        WHEN length(NEW.embedding) <> 4 * (SELECT CAST(value AS INTEGER) FROM metadata WHERE key = 'dimension')
        BEGIN
            SELECT RAISE(ABORT, 'embedding length is not 4 x metadata.dimension');
        END

        trigger vectors_count_insert
        CREATE TRIGGER vectors_count_insert AFTER INSERT ON vectors BEGIN
            UPDATE vector_set SET insertions = insertions + 1 WHERE id = 1;
        END

        trigger vectors_log_delete
        CREATE TRIGGER vectors_log_delete AFTER DELETE ON vectors BEGIN
            INSERT INTO vector_removals(chunk_id) VALUES (OLD.chunk_id);
            UPDATE vector_set SET removals = removals + 1 WHERE id = 1;
        END

        trigger vectors_log_update
        CREATE TRIGGER vectors_log_update AFTER UPDATE ON vectors BEGIN
            INSERT INTO vector_removals(chunk_id) VALUES (OLD.chunk_id);
            UPDATE vector_set SET insertions = insertions + 1, removals = removals + 1 WHERE id = 1;
        END
        """
}
