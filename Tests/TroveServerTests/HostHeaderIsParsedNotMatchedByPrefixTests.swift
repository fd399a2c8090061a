import Foundation
import Testing
@testable import TroveServer

/// `Host` is parsed as `host[:port]` (IPv6 literals in brackets) before it is compared with this
/// server's names: `Host: localhost:1@evil.com` used to pass as "localhost".
@Suite("Host header parsing", .serialized)
struct HostHeaderIsParsedNotMatchedByPrefixTests {
    static let valid: [(String, String, Int?)] = [
        ("localhost", "localhost", nil), ("localhost:8080", "localhost", 8080), ("LocalHost.", "localhost", nil),
        ("127.0.0.1:80", "127.0.0.1", 80), ("[::1]", "::1", nil), ("[::1]:9000", "::1", 9000),
        ("[0:0:0:0:0:0:0:1]:9000", "::1", 9000), ("[2001:DB8::A]", "2001:db8::a", nil), ("localhost:", "localhost", nil),
        ("my_host.example", "my_host.example", nil),
    ]

    @Test("host[:port] values parse to a lower-cased name (IPv6 canonical) and a port", arguments: valid)
    func parses(value: String, name: String, port: Int?) throws {
        let host = try #require(HostHeader(parsing: value))
        #expect(host.name == name && host.port == port)
    }

    @Test("anything else is no host", arguments: [
        "localhost:1@evil.com", "localhost@evil.com", "user@localhost", "localhost/evil", "localhost:80:80",
        "localhost:99999", "localhost:8o", "::1", "[::1", "[::1]x", "[::1]:", "[localhost]", "[fe80::1%25eth0]",
        "", ".", ".localhost", "local..host", "local host", "lоcalhost", "localhost#x", "localhost?x",
    ])
    func refuses(value: String) {
        if value == "[::1]:" {
            #expect(HostHeader(parsing: value) == HostHeader(parsing: "[::1]"))   // an empty port is allowed
        } else {
            #expect(HostHeader(parsing: value) == nil, "\(value) parsed")
        }
    }

    @Test("configured names are normalised the same way", arguments: [
        ("::1", "::1"), ("[::1]", "::1"), ("0:0:0:0:0:0:0:1", "::1"), ("Trove.Example.", "trove.example"), ("0.0.0.0", "0.0.0.0"),
    ])
    func configuredNames(configured: String, name: String) {
        #expect(HostHeader.normalizedName(configured) == name)
    }

    @Test("over HTTP: a malformed Host or a second Host is 400, a foreign one 403, loopback in any spelling passes", arguments: [
        ("Host: localhost:1@evil.com", 400), ("Host: localhost@evil.com", 400), ("Host: ::1", 400),
        ("Host: localhost:8080/x", 400), ("Host: localhost\r\nHost: evil.example", 400), ("Host: evil.example:80", 403),
        ("Host: [0:0:0:0:0:0:0:1]:9000", 200), ("Host: LOCALHOST.", 200),
    ])
    func overHTTP(header: String, status: Int) async throws {
        let fixture = try ServerFixture(ingest: false)
        try await fixture.withServer { client in
            let port = try #require(client.port)
            let response = try await RawHTTP.send("GET /v1/models HTTP/1.1\r\n\(header)\r\nConnection: close\r\n\r\n", port: port)
            #expect(response.hasPrefix("HTTP/1.1 \(status)"), "\(header): \(response.prefix(300))")
            if status == 400 { #expect(response.contains("invalid_host")) }
        }
    }
}
