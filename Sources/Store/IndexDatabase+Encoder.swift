import GRDB

/// The encoder an index was built with: its embeddings are only comparable with that model's.
public struct EncoderIdentity: Sendable, Equatable, Codable {
    /// Model name and a fingerprint of its files (as `ChunkEncoder.identity`).
    public var identity: String
    /// Length of each embedding.
    public var dimension: Int

    /// An encoder identity and its embedding length.
    public init(identity: String, dimension: Int) {
        self.identity = identity
        self.dimension = dimension
    }
}

extension IndexDatabase {
    /// The precision of an index's vectors when `metadata` has no `encoder_precision` (indexes
    /// built before precisions existed, all float32).
    public static let defaultEncoderPrecision = "fp32"

    /// Records the encoder on first use (identity, dimension and `precision`, the name of how its
    /// vectors were computed: `fp32`, `int8`, `bf16`); afterwards checks that they are the ones
    /// recorded.
    ///
    /// Throws ``StoreError/encoderPrecisionMismatch(file:stored:given:)`` or
    /// ``StoreError/encoderMismatch(file:storedIdentity:storedDimension:givenIdentity:givenDimension:)``
    /// naming the index file, the stored and the given encoder.
    public func ensureEncoder(identity: String, dimension: Int, precision: String = IndexDatabase.defaultEncoderPrecision) throws {
        try write { db in
            if let stored = try encoder(db) {
                let storedPrecision = try encoderPrecision(db)
                guard storedPrecision == precision else {
                    throw StoreError.encoderPrecisionMismatch(file: location, stored: storedPrecision, given: precision)
                }
                guard stored.identity == identity, stored.dimension == dimension else {
                    throw StoreError.encoderMismatch(file: location, storedIdentity: stored.identity,
                                                     storedDimension: stored.dimension,
                                                     givenIdentity: identity, givenDimension: dimension)
                }
                return
            }
            try db.execute(sql: "INSERT OR REPLACE INTO metadata(key, value) VALUES ('encoder_identity', ?), ('dimension', ?), ('encoder_precision', ?)",
                           arguments: [identity, String(dimension), precision])
        }
    }

    /// How the index's vectors were computed: `metadata.encoder_precision`, or
    /// ``defaultEncoderPrecision`` when the key is absent (an index from before precisions, or one
    /// with no vectors yet).
    public func recordedEncoderPrecision() throws -> String {
        try read { db in try encoderPrecision(db) }
    }

    func encoderPrecision(_ db: Database) throws -> String {
        try String.fetchOne(db, sql: "SELECT value FROM metadata WHERE key = 'encoder_precision'") ?? Self.defaultEncoderPrecision
    }

    /// Checks, without recording anything, that `identity` and `dimension` are the recorded ones
    /// (an index with no encoder yet accepts any): for queries, which must not write.
    public func verifyEncoder(identity: String, dimension: Int) throws {
        guard let stored = try recordedEncoder() else { return }
        guard stored.identity == identity, stored.dimension == dimension else {
            throw StoreError.encoderMismatch(file: location, storedIdentity: stored.identity, storedDimension: stored.dimension,
                                             givenIdentity: identity, givenDimension: dimension)
        }
    }

    /// The encoder recorded by ``ensureEncoder(identity:dimension:)``, or `nil` for a new index.
    public func recordedEncoder() throws -> EncoderIdentity? {
        try read { db in try encoder(db) }
    }

    /// All of `metadata` (schema_version, encoder_identity, dimension, encoder_precision, created_by, created_at).
    public func metadata() throws -> [String: String] {
        try read { db in
            var values: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM metadata") { values[row[0]] = row[1] }
            return values
        }
    }

    func encoder(_ db: Database) throws -> EncoderIdentity? {
        let identity = try String.fetchOne(db, sql: "SELECT value FROM metadata WHERE key = 'encoder_identity'")
        let dimension = try String.fetchOne(db, sql: "SELECT value FROM metadata WHERE key = 'dimension'")
        guard let identity, let dimension else { return nil }
        guard let count = Int(dimension), count > 0 else {
            throw StoreError.corruptMetadata(file: location, key: "dimension", value: dimension)
        }
        return EncoderIdentity(identity: identity, dimension: count)
    }
}
