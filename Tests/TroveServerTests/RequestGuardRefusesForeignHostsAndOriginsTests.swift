import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Trove
@testable import TroveServer

@Suite("Host, Origin and token checks", .serialized)
struct RequestGuardRefusesForeignHostsAndOriginsTests {
    let fixture: ServerFixture

    init() throws { fixture = try ServerFixture(ingest: false) }

    @Test("a Host that is not this server is refused (DNS rebinding); loopback names pass", arguments: [
        ("evil.example", 403), ("evil.example:8080", 403), ("127.0.0.1.nip.io", 403),
        ("localhost:8080", 200), ("127.0.0.1", 200), ("[::1]:9000", 200),
    ])
    func hosts(host: String, status: Int) async throws {
        try await fixture.withServer { client in
            // The test client always sends Host: localhost, so this request is written by hand.
            let port = try #require(client.port)
            let response = try await RawHTTP.send("GET /v1/models HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n", port: port)
            #expect(response.hasPrefix("HTTP/1.1 \(status)"), "\(host): \(response.prefix(300))")
        }
    }

    @Test("an Origin that is not loopback or allowed is refused; an allowed one gets CORS headers")
    func origins() async throws {
        fixture.configuration.allowedOrigins = ["https://app.example.com"]
        try await fixture.withServer { client in
            let foreign = try await client.get("/v1/models", headers: [.origin: "https://evil.example"])
            #expect(foreign.status == .forbidden)
            #expect(try foreign.errorMessage().contains("https://evil.example"))
            #expect(try await client.get("/v1/models", headers: [.origin: "null"]).status == .forbidden)

            let local = try await client.get("/v1/models", headers: [.origin: "http://localhost:3000"])
            #expect(local.status == .ok)
            #expect(local.headers[.accessControlAllowOrigin] == nil)

            let allowed = try await client.get("/v1/models", headers: [.origin: "https://app.example.com"])
            #expect(allowed.status == .ok)
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://app.example.com")

            let preflight = try await client.execute(uri: "/v1/search", method: .options, headers: [
                .origin: "https://app.example.com", .accessControlRequestMethod: "POST",
                .accessControlRequestHeaders: "content-type, authorization",
            ])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
        }
    }

    @Test("with a token: none or a wrong one gets 401, the right one passes, /health stays open")
    func token() async throws {
        fixture.configuration.token = "s3cret"
        try await fixture.withServer { client in
            let none = try await client.get("/v1/models")
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await client.get("/v1/models", headers: [.authorization: "Bearer wrong"]).status == .unauthorized)
            #expect(try await client.get("/v1/models", headers: [.authorization: "Bearer s3cret"]).status == .ok)
            #expect(try await client.get("/health").status == .ok)
        }
    }

    @Test("a public address needs a token or --insecure; loopback does not")
    func bindingRules() throws {
        var configuration = ServerConfiguration(uploadsFolder: URL(fileURLWithPath: "/tmp/u"))
        try configuration.validate()
        configuration.host = "0.0.0.0"
        #expect(throws: ServerSetupError.publicAddressWithoutToken(host: "0.0.0.0")) { try configuration.validate() }
        configuration.insecure = true
        try configuration.validate()
        configuration.insecure = false
        configuration.token = "t"
        try configuration.validate()
        configuration.allowedOrigins = ["https://app.example.com/path"]
        #expect(throws: ServerSetupError.self) { try configuration.validate() }
        for host in ["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"] { #expect(ServerConfiguration.isLoopback(host)) }
        for host in ["0.0.0.0", "10.0.0.1", "127.0.0.1.nip.io", "example.com"] { #expect(!ServerConfiguration.isLoopback(host)) }
    }
}
