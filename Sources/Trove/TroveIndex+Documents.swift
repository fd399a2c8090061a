import Foundation
import Ingest
import Store

/// A document in the index; the JSON shape of `trove list --json`.
public struct DocumentSummary: Codable, Sendable, Equatable {
    public var id: Int64
    public var path: String
    public var format: String
    public var title: String?
    public var chunks: Int
    public var size: Int64
    public var contentHash: String
    /// Modification time of the file when it was ingested, seconds since 1970.
    public var mtime: Double
    /// The collection it was ingested into (`nil`: written before collections, not ingested since).
    public var collection: String?

    enum CodingKeys: String, CodingKey {
        case id, path, format, title, chunks, size, mtime, collection
        case contentHash = "content_hash"
    }
}

extension DocumentSummary {
    init(_ document: Document, chunks: Int) {
        self.init(id: document.id ?? 0, path: document.path, format: document.format, title: document.title,
                  chunks: chunks, size: document.size, contentHash: document.contentHash, mtime: document.mtime,
                  collection: document.collection)
    }
}

/// One collection of the index (`trove list --collections`).
public struct CollectionSummary: Codable, Sendable, Equatable {
    /// `nil` for documents written before collections existed and not ingested since.
    public var name: String?
    public var documents: Int
    public var chunks: Int

    enum CodingKeys: String, CodingKey { case name, documents, chunks }

    /// `name` is always present (null for documents without a collection).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(documents, forKey: .documents)
        try container.encode(chunks, forKey: .chunks)
    }
}

/// What `trove remove` did.
public struct RemoveReport: Codable, Sendable, Equatable {
    public var removed: [String]
    /// Paths that matched no document (neither a document nor a folder holding some).
    public var notFound: [String]

    enum CodingKeys: String, CodingKey {
        case removed
        case notFound = "not_found"
    }
}

/// Counts and identity of an index; the JSON shape of `trove stats --json`.
public struct TroveStats: Codable, Sendable, Equatable {
    public var index: String
    public var documents: Int
    public var chunks: Int
    public var vectors: Int
    /// The identity of the encoder that built the index, nil while it is empty.
    public var encoder: String?
    public var dimension: Int?
    /// How the vectors were computed (`fp32`, `int8`, `bf16`: ``EncoderPrecision``), nil while empty.
    public var encoderPrecision: String?
    public var fileBytes: Int64
    /// Documents per format (text, markdown, html, pdf, code, jsonl).
    public var formats: [String: Int]

    enum CodingKeys: String, CodingKey {
        case index, documents, chunks, vectors, encoder, dimension, formats
        case fileBytes = "file_bytes"
        case encoderPrecision = "encoder_precision"
    }
}

extension TroveIndex {
    /// Every document, by path.
    public func documents() throws -> [DocumentSummary] {
        let database = try database()
        return try during("listing documents in \(database.location)") {
            let counts = try database.chunkCountsByDocument()
            return try database.allDocuments().map { DocumentSummary($0, chunks: counts[$0.id ?? 0] ?? 0) }
        }
    }

    /// The collections of the index with their documents and chunks, by name.
    public func collections() throws -> [CollectionSummary] {
        let database = try database()
        return try during("listing collections in \(database.location)") {
            try database.collectionCounts().map { CollectionSummary(name: $0.collection, documents: $0.documents, chunks: $0.chunks) }
        }
    }

    /// Removes documents by path: a document's own path, a `.jsonl` file (all its records), or a
    /// folder (everything under it). The files are not touched.
    public func remove(_ paths: [URL]) throws -> RemoveReport {
        let database = try database()
        var report = RemoveReport(removed: [], notFound: [])
        try during("removing documents from \(database.location)") {
            for url in paths {
                let path = IngestPipeline.standardizedPath(url)
                var matches = try database.document(path: path).map { [$0] } ?? []
                if matches.isEmpty { matches = try database.documents(inFile: path) }
                if matches.isEmpty { matches = try database.documents(under: path) }
                if matches.isEmpty {
                    report.notFound.append(path)
                    continue
                }
                let removedPaths = matches.map(\.path)
                _ = try database.removeDocuments(paths: removedPaths)
                report.removed += removedPaths
            }
        }
        try pruneRemovalLog(database)
        return report
    }

    /// Removes the documents with these ids (the `id` of ``documents()``); returns the paths
    /// removed. Ids that name no document are left out of the result.
    public func remove(documentIDs ids: [Int64]) throws -> [String] {
        let wanted = Set(ids)
        let paths = try documents().filter { wanted.contains($0.id) }.map(\.path)
        guard !paths.isEmpty else { return [] }
        let database = try database()
        try during("removing documents from \(database.location)") { _ = try database.removeDocuments(paths: paths) }
        try pruneRemovalLog(database)
        return paths
    }

    /// Counts, encoder identity and size of the index file.
    public func stats() throws -> TroveStats {
        let database = try database()
        return try during("reading statistics of \(database.location)") {
            let stats = try database.stats()
            let formats = try database.documentCountsByFormat()
            let precision = stats.encoder == nil ? nil : try database.recordedEncoderPrecision()
            return TroveStats(index: stats.location, documents: stats.documents, chunks: stats.chunks,
                              vectors: stats.vectors, encoder: stats.encoder?.identity,
                              dimension: stats.encoder?.dimension, encoderPrecision: precision,
                              fileBytes: stats.fileBytes, formats: formats)
        }
    }
}
