import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Trove
import TroveTestSupport
@testable import TroveServer

/// A small corpus indexed with the real models, and a live server over it (a real socket on
/// 127.0.0.1, any free port), as a client reaches it.
final class ServerFixture: @unchecked Sendable {
    let folder: TemporaryFolder
    let trove: TroveIndex
    var configuration: ServerConfiguration

    /// `ingest`: whether to index the three demo documents first.
    init(ingest: Bool = true) throws {
        _ = try Fixtures.required(Fixtures.encoderFolder.appendingPathComponent("model.safetensors"))
        _ = try Fixtures.required(Fixtures.decoderFile)
        folder = try TemporaryFolder("trove-server")
        try folder.write("docs/gannet.md", "# Gannet Head\n\nGannet Head lighthouse was first lit in 1853. Its lens was made in Paris.\n")
        try folder.write("docs/storm.txt", "Heavy gales battered the coast overnight, and waves broke over the harbour wall.\n")
        try folder.write("docs/bread.txt", "Sourdough bread rises with wild yeast kept alive in a flour and water starter.\n")
        let index = folder.url.appendingPathComponent("index.sqlite")
        trove = TroveIndex(indexFile: index, models: ModelLocation(folder: Fixtures.modelsFolder))
        if ingest { try trove.ingest([folder.url.appendingPathComponent("docs")]) }
        configuration = ServerConfiguration(uploadsFolder: URL(fileURLWithPath: index.path + ".uploads"))
        configuration.port = 0
    }

    /// Runs `test` against a live server with this fixture's configuration.
    func withServer<T: Sendable>(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await withServer { client, _ in try await test(client) }
    }

    /// Runs `test` against a live server, with the server itself (to hold its queues' slots).
    func withServer<T: Sendable>(_ test: @escaping @Sendable (any TestClientProtocol, TroveServer) async throws -> T) async throws -> T {
        let server = TroveServer(trove: trove, configuration: configuration)
        return try await server.makeApplication().test(.live) { client in try await test(client, server) }
    }
}

extension TestClientProtocol {
    /// POSTs `json` (a string, sent as is) to `uri`.
    func post(_ uri: String, _ json: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json))
    }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers)
    }
}

extension TestResponse {
    /// The body parsed as a JSON object.
    func json() throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(buffer: body))
        return try #require(value as? [String: Any], "not a JSON object: \(String(buffer: body))")
    }

    /// The body decoded as `T`.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(buffer: body))
    }

    /// `error.message` of an error body.
    func errorMessage() throws -> String {
        let error = try #require(try json()["error"] as? [String: Any], "no error object: \(String(buffer: body))")
        return try #require(error["message"] as? String)
    }

    /// The events of a `text/event-stream` body: (event name or nil, data).
    var events: [(event: String?, data: String)] {
        String(buffer: body).components(separatedBy: "\n\n").compactMap { block in
            var event: String?, data: [String] = []
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
            }
            return data.isEmpty ? nil : (event, data.joined(separator: "\n"))
        }
    }
}

/// One HTTP request written byte for byte on a TCP connection to 127.0.0.1 (for headers the
/// test client will not send as given, such as `Host`); returns the whole response as text.
enum RawHTTP {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Sends on a Dispatch thread: the socket calls block, and blocking one of Swift
    /// concurrency's few threads (two on a 2-core machine) starves the in-process server that
    /// must answer, so two suites doing this at once deadlocked.
    static func send(_ request: String, port: Int) async throws -> String {
        try await offThePool { try sendBlocking(request, port: port) }
    }

    /// Runs blocking socket work on a Dispatch thread and awaits it.
    static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    private static func sendBlocking(_ request: String, port: Int) throws -> String {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect to port \(port) failed") }
        let bytes = Array(request.utf8)
        guard Glibc.send(socket, bytes, bytes.count, 0) == bytes.count else { throw Failure(description: "send failed") }
        var response = [UInt8](), buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(socket, &buffer, buffer.count, 0)
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        return String(decoding: response, as: UTF8.self)
    }
}
