import Foundation
import Hummingbird
import Ingest
import Trove

/// `GET /v1/documents` (the shape of `trove list --json`), `POST /v1/documents` (a path on the
/// server, or text in the body) and `DELETE /v1/documents/{id}`. With `--read-only` the last two
/// answer 403. Ingests wait in line one at a time; searches go on meanwhile and see each document
/// once its transaction has committed.
struct DocumentList: Encodable {
    let documents: [DocumentSummary]
}

/// What `POST /v1/documents` did.
struct IngestResponse: Encodable {
    /// The file or folder ingested (for text: the file it was stored as).
    let path: String
    let report: IngestReport
}

extension TroveServer {
    var uploads: UploadedDocuments { UploadedDocuments(folder: configuration.uploadsFolder) }

    func addDocumentRoutes(to router: Router<BasicRequestContext>) {
        router.get("/v1/documents") { _, _ in
            let trove = self.trove
            return try JSONCoding.response(DocumentList(documents: try await self.engine { try trove.documents() }))
        }
        router.post("/v1/documents") { request, _ in
            try self.refuseWhenReadOnly("ingest")
            let body = try await self.decodeBody(DocumentRequest.self, from: request.body)
            let target: URL
            var collection = body.collection
            switch try body.validated() {
            case .path(let url):
                try self.checkIngestPath(url)
                target = url
            case .text(let text, let name):
                target = try self.uploads.store(text, name: name)
                collection = collection ?? DocumentRequest.uploadsCollection
            }
            let trove = self.trove, limits = self.configuration.fileSizeLimits, named = collection
            let report = try await self.ingests.run {
                try await self.engine {
                    try FileSizeLimits.$current.withValue(limits) { try trove.ingest([target], collection: named) }
                }
            }
            return try JSONCoding.response(IngestResponse(path: target.standardizedFileURL.path, report: report))
        }
        router.delete("/v1/documents/:id") { _, context in
            try self.refuseWhenReadOnly("delete")
            guard let text = context.parameters.get("id"), let id = Int64(text) else {
                throw APIError.badRequest("the document id must be an integer (the `id` of GET /v1/documents)", param: "id")
            }
            let trove = self.trove, uploads = self.uploads
            let removed = try await self.ingests.run {
                try await self.engine {
                    let removed = try trove.remove(documentIDs: [id])
                    for path in removed where uploads.holds(path) { try? FileManager.default.removeItem(atPath: path) }
                    return removed
                }
            }
            guard !removed.isEmpty else { throw APIError.notFound("no document with id \(id)", code: "document_not_found") }
            return try JSONCoding.response(["removed": removed])
        }
    }

    /// A path to ingest must be a folder, or a regular file within the size limit: a device, FIFO
    /// or socket is refused (400) before anything opens it, and so is a file above the limit.
    /// (The pipeline checks again as it reads, and skips such files found in a folder.)
    func checkIngestPath(_ url: URL) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw APIError.notFound("no file or folder \(url.path) on the server", code: "path_not_found")
        }
        if isFolder.boolValue { return }
        do {
            try DocumentLoader.checkFile(url, limits: configuration.fileSizeLimits)
        } catch let error as LoaderError {
            switch error {
            case .notRegularFile: throw APIError.badRequest(error.description, param: "path", code: "not_a_regular_file")
            case .tooLarge: throw APIError.badRequest(error.description, param: "path", code: "file_too_large")
            default: throw APIError.badRequest(error.description, param: "path", code: "file_unreadable")
            }
        }
    }

    func refuseWhenReadOnly(_ action: String) throws {
        guard configuration.readOnly else { return }
        throw APIError(.forbidden, "this server is read-only (--read-only): \(action) is turned off", code: "read_only")
    }
}
