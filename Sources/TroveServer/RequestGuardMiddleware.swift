import Foundation
import HTTPTypes
import Hummingbird

/// The checks every request passes before it reaches an endpoint, in this order:
///
/// 1. `Host` must name this server: loopback, the bound address, or an `--allow-host` name
///    (with any port). A page on `evil.example` that rebinds its DNS name to 127.0.0.1 sends
///    `Host: evil.example` and is refused (DNS rebinding). The value is parsed, not matched by
///    prefix (``HostHeader``): one that is not `host[:port]`, or a second `Host` header, is a 400
///    as RFC 9112 §3.2 requires.
/// 2. `Origin`, when a browser sends one, must be loopback or an `--allow-origin`. Only allowed
///    origins get CORS headers; a preflight (`OPTIONS`) from one is answered here.
/// 3. With `--token`, `Authorization: Bearer <token>` (compared in constant time); `GET /health`
///    and preflights are open, so a load balancer or a browser can ask without the secret.
struct RequestGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let configuration: ServerConfiguration
    /// Lower-cased host names the `Host` header may carry.
    let allowedHosts: Set<String>

    init(configuration: ServerConfiguration) {
        self.configuration = configuration
        var hosts: Set<String> = ["localhost", "127.0.0.1", "::1"]
        hosts.insert(HostHeader.normalizedName(configuration.host))
        for host in configuration.allowedHosts { hosts.insert(HostHeader.normalizedName(host)) }
        if configuration.bindsEveryInterface { hosts.formUnion(LocalAddresses.all().map(HostHeader.normalizedName)) }
        allowedHosts = hosts
    }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if let authority = request.head.authority { try checkHost(authority, request: request) }
        let origin = request.headers[.origin]
        let corsOrigin = try origin.flatMap { try checkOrigin($0) }
        if request.method == .options, let corsOrigin {
            return preflight(for: corsOrigin, request: request)
        }
        if !isOpen(request) { try authorize(request) }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = try error.response(from: request, context: context)
        }
        if let corsOrigin { addCORSHeaders(for: corsOrigin, to: &response.headers) }
        return response
    }

    // MARK: - Host and Origin

    /// Refuses a `Host` that is not `host[:port]` or comes twice (400), or names another server (403).
    func checkHost(_ authority: String, request: Request) throws {
        // The first Host became `authority`; any other is still among the fields.
        if let name = HTTPField.Name("Host"), !request.headers[values: name].isEmpty {
            throw APIError.badRequest("more than one Host header", code: "invalid_host")
        }
        guard let host = HostHeader(parsing: authority) else {
            throw APIError.badRequest("Host \(authority) is not a host name or address with an optional port",
                                      code: "invalid_host")
        }
        guard allowedHosts.contains(host.name) else {
            throw APIError(.forbidden, "Host \(authority) is not this server's name " +
                           "(start the server with --allow-host NAME to accept it)", code: "host_not_allowed")
        }
    }

    /// Returns the origin to echo in CORS headers (nil for a loopback origin that is allowed but
    /// not listed), or refuses the request.
    func checkOrigin(_ origin: String) throws -> String? {
        if configuration.allowedOrigins.contains(where: { $0.caseInsensitiveCompare(origin) == .orderedSame }) {
            return origin
        }
        if let name = OriginName(origin), ServerConfiguration.isLoopback(name.host) { return nil }
        throw APIError(.forbidden, "requests from the web page origin \(origin) are not allowed " +
                       "(start the server with --allow-origin \(origin) to allow it)", code: "origin_not_allowed")
    }

    func preflight(for origin: String, request: Request) -> Response {
        var headers: HTTPFields = [:]
        addCORSHeaders(for: origin, to: &headers)
        headers[.accessControlAllowMethods] = "GET, POST, DELETE, OPTIONS"
        headers[.accessControlAllowHeaders] = request.headers[.accessControlRequestHeaders] ?? "authorization, content-type"
        headers[.accessControlMaxAge] = "600"
        return Response(status: .noContent, headers: headers)
    }

    func addCORSHeaders(for origin: String, to headers: inout HTTPFields) {
        headers[.accessControlAllowOrigin] = origin
        headers[.vary] = "Origin"
    }

    // MARK: - Token

    func isOpen(_ request: Request) -> Bool {
        configuration.token == nil || (request.method == .get && request.uri.path == "/health")
    }

    func authorize(_ request: Request) throws {
        guard let token = configuration.token else { return }
        let given = request.headers[.authorization] ?? ""
        let prefix = "Bearer "
        guard given.count > prefix.count, given.lowercased().hasPrefix(prefix.lowercased()),
              Self.constantTimeEqual(Array(given.utf8.dropFirst(prefix.utf8.count)), Array(token.utf8)) else {
            var error = APIError(.unauthorized, given.isEmpty
                                 ? "this server needs a token: send the header Authorization: Bearer <token>"
                                 : "the bearer token is not this server's token", code: "invalid_api_key")
            error.headers[.wwwAuthenticate] = "Bearer"
            throw error
        }
    }

    /// Compares without stopping at the first difference, so timing does not reveal a prefix.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}

/// The machine's own interface addresses and host name: the names a client may use when the
/// server listens on every interface.
enum LocalAddresses {
    static func all() -> Set<String> {
        var names: Set<String> = [ProcessInfo.processInfo.hostName.lowercased()]
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return names }
        defer { freeifaddrs(list) }
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr else { continue }
            let family = Int32(address.pointee.sa_family)
            guard family == AF_INET || family == AF_INET6 else { continue }
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
            if getnameinfo(address, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                names.insert(name.split(separator: "%").first.map(String.init) ?? name)   // drop an IPv6 zone
            }
        }
        return names
    }
}
