import Foundation
import GRDB

/// One Trove index: a single SQLite file (WAL mode) holding documents, chunks, vectors and a
/// full-text index. See Docs/IndexSchema.md for the tables.
///
/// ```swift
/// let index = try IndexDatabase.open(path: "/home/me/notes.trove")
/// try index.ensureEncoder(identity: encoder.identity, dimension: encoder.dimension)
/// try index.replaceDocument(document, chunks: chunks, vectors: vectors)
/// let (ids, values, dimension) = try index.loadVectors()
/// ```
///
/// All methods are synchronous and safe to call from any thread. On a file, reads run on a pool of
/// reader connections and each sees one committed state (a snapshot), even while a write commits;
/// writes are serialised. Every write method is one transaction: it happens entirely or not at all,
/// which is what makes an interrupted ingest (even `kill -9`) leave a consistent index.
public final class IndexDatabase: Sendable {
    /// The file's path, or `:memory:`; quoted in every error.
    public let location: String
    /// The GRDB connection(s): a `DatabasePool` on a file, a `DatabaseQueue` in memory.
    let writer: any DatabaseWriter

    /// How long a connection waits for another process's lock before failing with SQLITE_BUSY.
    public static let busyTimeout: TimeInterval = 10

    private init(location: String, writer: any DatabaseWriter) {
        self.location = location
        self.writer = writer
    }

    /// Opens the index file at `path`, creating and migrating it if needed.
    ///
    /// The parent folder must exist. The file is put in WAL mode (readers never block the writer)
    /// with a busy timeout of ``busyTimeout`` seconds. `createdBy` is recorded in `metadata` when
    /// the file is created. Throws ``StoreError/sqlite(file:sql:message:)`` if the file is not a
    /// SQLite database, ``StoreError/newerSchema(file:unknownMigrations:)`` if it comes from a
    /// newer Trove.
    ///
    /// With `readOnly`, the file must exist and be fully migrated (``StoreError/outdatedSchema(file:missingMigrations:)``
    /// otherwise), and every write method throws: for `trove serve --read-only` and for scripts.
    public static func open(path: String, readOnly: Bool = false, createdBy: String = "trove") throws -> IndexDatabase {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "trove-index"
        // In WAL mode, NORMAL syncs at checkpoints, not at every commit: a crash of the process
        // (kill -9) loses nothing committed, a power cut may lose the last commits, and the file
        // is never corrupt. An ingest commits once per document, so FULL would cost an fsync each.
        // Memory-mapped reads (up to 4 GiB) halve the time of `loadVectors` (no read() per page).
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 4294967296")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError {
            throw StoreError(error, file: path)
        }
        let index = IndexDatabase(location: path, writer: pool)
        if readOnly { try index.checkSchema() } else { try index.migrate(createdBy: createdBy) }
        return index
    }

    /// A fresh index in memory (for tests and throw-away use); gone when the value is released.
    public static func inMemory(createdBy: String = "trove") throws -> IndexDatabase {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue()
        } catch let error as DatabaseError {
            throw StoreError(error, file: ":memory:")
        }
        let index = IndexDatabase(location: ":memory:", writer: queue)
        try index.migrate(createdBy: createdBy)
        return index
    }

    /// Refuses a file whose migrations are not exactly the ones this build knows (read-only use).
    private func checkSchema() throws {
        try read { db in
            let applied = try Migrations.migrator.appliedIdentifiers(db)
            let known = Migrations.all.map(\.identifier)
            let unknown = applied.subtracting(known)
            if !unknown.isEmpty { throw StoreError.newerSchema(file: location, unknownMigrations: unknown.sorted()) }
            let missing = known.filter { !applied.contains($0) }
            if !missing.isEmpty { throw StoreError.outdatedSchema(file: location, missingMigrations: missing) }
        }
    }

    /// Runs the migrations this build knows, refusing a file that has more.
    private func migrate(createdBy: String) throws {
        let migrator = Migrations.migrator
        try write { db in
            let applied = try migrator.appliedIdentifiers(db)
            let known = Set(Migrations.all.map(\.identifier))
            let unknown = applied.subtracting(known)
            if !unknown.isEmpty { throw StoreError.newerSchema(file: location, unknownMigrations: unknown.sorted()) }
        }
        do {
            try migrator.migrate(writer)
        } catch let error as DatabaseError {
            throw StoreError(error, file: location)
        }
        try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO metadata(key, value) VALUES ('created_by', ?), ('created_at', ?)",
                           arguments: [createdBy, ISO8601DateFormatter().string(from: Date())])
        }
    }

    /// Runs `body` in one write transaction; SQLite errors become ``StoreError/sqlite(file:sql:message:)``.
    /// Any error thrown by `body` rolls the whole transaction back.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(body)
        } catch let error as DatabaseError {
            throw StoreError(error, file: location)
        }
    }

    /// Runs `body` in one read transaction (one consistent snapshot of the file).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as DatabaseError {
            throw StoreError(error, file: location)
        }
    }
}

extension StoreError {
    /// Wraps a GRDB error, keeping the statement that failed.
    init(_ error: DatabaseError, file: String) {
        self = .sqlite(file: file, sql: error.sql, message: error.message ?? "\(error.resultCode)")
    }
}
