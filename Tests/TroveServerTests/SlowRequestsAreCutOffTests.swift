import Foundation
import Testing
@testable import TroveServer

/// A request must arrive within the read timeout: a client that announces more body than it sends
/// (a wrong Content-Length, a huge chunk size) gets 408 and the connection closes, and one that
/// never finishes its head is disconnected. Without this such a request waited for ever.
@Suite("Slow requests are cut off", .serialized, .timeLimit(.minutes(2)))
struct SlowRequestsAreCutOffTests {
    let fixture: ServerFixture

    init() throws {
        fixture = try ServerFixture(ingest: false)
        fixture.configuration.requestReadTimeout = .seconds(1)
    }

    @Test("a body shorter than its Content-Length, or than its chunk size, is cut off: the connection closes (with a 408 when one can be sent)", arguments: [
        "Content-Length: 100\r\n\r\n{\"query\"",
        "Transfer-Encoding: chunked\r\n\r\nFFFFFFF\r\n{\"query\"",
    ])
    func stalledBody(framing: String) async throws {
        try await fixture.withServer { client in
            let port = try #require(client.port)
            let exchange = try await SlowClient.exchange("POST /v1/search HTTP/1.1\r\nHost: localhost\r\n" + framing, port: port)
            // The connection never waits forever. A 408 is sent when the response can still be
            // written; with a Content-Length body the server may close without one (seen under load).
            if !exchange.response.isEmpty {
                #expect(exchange.response.hasPrefix("HTTP/1.1 408"), "\(exchange.response.prefix(300))")
                #expect(exchange.response.contains("request_timeout"))
            }
            #expect(exchange.closed, "closed: \(exchange.closed) after \(exchange.seconds) s")
        }
    }

    @Test("a body trickled a byte at a time (never idle) still gets 408 at the deadline")
    func trickledBody() async throws {
        try await fixture.withServer { client in
            let port = try #require(client.port)
            let exchange = try await SlowClient.exchange("POST /v1/search HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n{",
                                                   port: port, trickle: true)
            #expect(exchange.response.hasPrefix("HTTP/1.1 408"), "\(exchange.response.prefix(300))")
            #expect(exchange.closed, "closed: \(exchange.closed) after \(exchange.seconds) s")
        }
    }

    @Test("a head that never ends, or a silent connection, is closed")
    func stalledHead() async throws {
        try await fixture.withServer { client in
            let port = try #require(client.port)
            for start in ["POST /v1/search HTTP/1.1\r\nHost: loc", ""] {
                let exchange = try await SlowClient.exchange(start, port: port)
                #expect(exchange.response.isEmpty && exchange.closed,
                        "\(start.debugDescription): closed \(exchange.closed) after \(exchange.seconds) s")
            }
        }
    }

    @Test("a whole request is answered as usual")
    func wholeRequest() async throws {
        try await fixture.withServer { client in
            let health = try await client.get("/health")
            #expect(health.status == .ok)
        }
    }
}

/// A client on a raw TCP socket that sends `start` and then waits (or sends one more byte of body
/// every 200 ms), collecting what the server sends until it closes or `patience` seconds pass. It
/// runs on a Dispatch thread, off the threads the in-process server needs (see
/// ``RawHTTP/send(_:port:)``).
enum SlowClient {
    typealias Exchange = (response: String, closed: Bool, seconds: Double)

    /// Far beyond the 1 s read timeout, so that a loaded test machine (which stalls the in-process
    /// server for seconds) cannot fail the test; a server without the timeout never closes at all
    /// (a trickled 1,000-byte body would take 200 s).
    static let patience: Double = 45

    static func exchange(_ start: String, port: Int, trickle: Bool = false) async throws -> Exchange {
        try await RawHTTP.offThePool { try exchangeBlocking(start, port: port, trickle: trickle) }
    }

    private static func exchangeBlocking(_ start: String, port: Int, trickle: Bool) throws -> Exchange {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw RawHTTP.Failure(description: "socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw RawHTTP.Failure(description: "connect to port \(port) failed") }
        var wait = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        let started = Date()
        let bytes = Array(start.utf8)
        if !bytes.isEmpty { _ = send(socket, bytes, bytes.count, Int32(MSG_NOSIGNAL)) }
        var response = [UInt8](), buffer = [UInt8](repeating: 0, count: 4096)
        while Date().timeIntervalSince(started) < patience {
            if trickle { _ = send(socket, [UInt8(ascii: " ")], 1, Int32(MSG_NOSIGNAL)) }
            let count = recv(socket, &buffer, buffer.count, 0)
            if count > 0 { response += buffer[0..<count]; continue }
            if count == 0 || (errno != EAGAIN && errno != EINTR) {
                return (String(decoding: response, as: UTF8.self), true, Date().timeIntervalSince(started))
            }
        }
        return (String(decoding: response, as: UTF8.self), false, Date().timeIntervalSince(started))
    }
}
