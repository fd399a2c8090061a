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

    /// True when the file was opened read-only (asked for, or because it cannot be written):
    /// every write method then throws, saying so.
    public let isReadOnly: Bool

    private init(location: String, writer: any DatabaseWriter, isReadOnly: Bool = false) {
        self.location = location
        self.writer = writer
        self.isReadOnly = isReadOnly
    }

    /// Opens the index file at `path`, creating and migrating it if needed.
    ///
    /// The parent folder must exist. The file is put in WAL mode (readers never block the writer)
    /// with a busy timeout of ``busyTimeout`` seconds. `createdBy` is recorded in `metadata` when
    /// the file is created. Throws ``StoreError/sqlite(file:sql:message:)`` if the file is not a
    /// SQLite database, ``StoreError/newerSchema(file:unknownMigrations:)`` if it comes from a
    /// newer Trove.
    ///
    /// Two processes may open a file that does not exist yet at the same moment (an ingest and a
    /// search started together): one creates it, and the other retries until it sees the
    /// finished schema, for at most ``busyTimeout`` seconds, then says which step stayed locked.
    ///
    /// With `readOnly`, or when the file exists but cannot be written (a read-only file, folder or
    /// file system), the file must be fully migrated (``StoreError/outdatedSchema(file:missingMigrations:)``
    /// otherwise) and every write method throws: reading commands work on an index they cannot change.
    public static func open(path: String, readOnly: Bool = false, createdBy: String = "trove") throws -> IndexDatabase {
        if readOnly || !isWritable(path) { return try openReadOnly(path: path) }
        let deadline = Date().addingTimeInterval(busyTimeout)
        var attempt = 0
        while true {
            do {
                return try openAndMigrate(path: path, createdBy: createdBy)
            } catch let StoreError.sqlite(_, sql, message) where isCreationRace(message) {
                // Lost a race with another process creating or migrating the same file: its WAL
                // switch or its CREATE TABLE went first. Once it commits, the schema is there.
                guard Date() < deadline else {
                    throw StoreError.sqlite(file: path, sql: sql, message: message + " (another process kept the index " +
                        "locked while it was being created or migrated for \(Int(busyTimeout)) s)")
                }
                attempt += 1
                Thread.sleep(forTimeInterval: min(0.005 * Double(attempt), 0.1))
            }
        }
    }

    /// SQLite messages that mean another connection was setting up the same file at that moment:
    /// its lock, or a migration step it committed between this one's check and its statement
    /// (GRDB reads the applied migrations outside the migration's transaction).
    static func isCreationRace(_ message: String) -> Bool {
        ["database is locked", "database table is locked", "database schema has changed", "already exists",
         "duplicate column name", "UNIQUE constraint failed: grdb_migrations"].contains { message.contains($0) }
    }

    /// Whether the index can be changed here: true for a file that does not exist yet (it will be
    /// created), else the file must be writable and so must its folder (SQLite creates the `-wal`
    /// and `-shm` files there).
    static func isWritable(_ path: String) -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return true }
        let folder = (path as NSString).deletingLastPathComponent
        return access(path, W_OK) == 0 && access(folder.isEmpty ? "." : folder, W_OK) == 0
    }

    /// How much of the file SQLite reads through a memory map (`PRAGMA mmap_size`).
    static let mappedBytes = 4_294_967_296

    private static func configuration(readOnly: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "trove-index"
        // In WAL mode, NORMAL syncs at checkpoints, not at every commit: a crash of the process
        // (kill -9) loses nothing committed, a power cut may lose the last commits, and the file
        // is never corrupt. An ingest commits once per document, so FULL would cost an fsync each.
        // Memory-mapped reads (up to 4 GiB) halve the time of `loadVectors` (no read() per page).
        configuration.prepareDatabase { db in
            try db.execute(sql: readOnly ? "PRAGMA mmap_size = \(mappedBytes)"
                                         : "PRAGMA synchronous = NORMAL; PRAGMA mmap_size = \(mappedBytes)")
        }
        return configuration
    }

    private static func openAndMigrate(path: String, createdBy: String) throws -> IndexDatabase {
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration(readOnly: false))
        } catch let error as DatabaseError {
            throw StoreError(error, file: path)
        }
        let index = IndexDatabase(location: path, writer: pool)
        try index.migrate(createdBy: createdBy)
        return index
    }

    /// A read-only connection. SQLite reads a WAL file through its `-shm` index, which it cannot
    /// create in a read-only folder: there, when no write-ahead log is pending, the file is opened
    /// `immutable` (nothing can change it anyway); a pending log without its `-shm` is refused.
    private static func openReadOnly(path: String) throws -> IndexDatabase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.sqlite(file: path, sql: nil, message: "no index file here to open read-only")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let fileManager = FileManager.default
        let folderWritable = access(folder.isEmpty ? "." : folder, W_OK) == 0
        let writer: any DatabaseWriter
        do {
            if folderWritable || fileManager.fileExists(atPath: path + "-shm") {
                writer = try DatabasePool(path: path, configuration: configuration(readOnly: true))
            } else {
                let wal = (try? fileManager.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
                guard wal == 0 else {
                    throw StoreError.sqlite(file: path, sql: nil, message: "its write-ahead log (\(path)-wal, \(wal) bytes) " +
                        "cannot be read without its -shm file, which a read-only folder cannot hold; " +
                        "open the index once where it is writable")
                }
                writer = try DatabaseQueue(path: immutableURI(path), configuration: configuration(readOnly: true))
            }
        } catch let error as DatabaseError {
            throw StoreError(error, file: path)
        }
        let index = IndexDatabase(location: path, writer: writer, isReadOnly: true)
        try index.checkSchema()
        return index
    }

    /// `file:` URI with `immutable=1` (SQLite: no locks, no `-shm`); `%`, `?` and `#` escaped.
    static func immutableURI(_ path: String) -> String {
        var escaped = ""
        for character in path.unicodeScalars {
            switch character {
            case "%": escaped += "%25"
            case "?": escaped += "%3f"
            case "#": escaped += "%23"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return "file:" + escaped + "?mode=ro&immutable=1"
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
        guard !isReadOnly else {
            throw StoreError.sqlite(file: location, sql: nil, message: StoreError.readOnlyIndexMessage)
        }
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
    /// What a write to an index opened read-only says.
    static let readOnlyIndexMessage = "the index is open read-only (read-only file, folder or file system, " +
        "or --read-only): it can be searched but not changed"

    /// True for a write refused because the index is open read-only (the HTTP server answers 403).
    public var isReadOnlyIndex: Bool {
        if case let .sqlite(_, nil, message) = self { return message == Self.readOnlyIndexMessage }
        return false
    }

    /// Wraps a GRDB error, keeping the statement that failed.
    init(_ error: DatabaseError, file: String) {
        self = .sqlite(file: file, sql: error.sql, message: error.message ?? "\(error.resultCode)")
    }
}
