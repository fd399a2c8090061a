import Foundation
import Ingest

/// How `trove serve` listens and what it allows. Safe by default: loopback only, no CORS,
/// ingest and delete allowed (`readOnly` turns them off).
public struct ServerConfiguration: Sendable {
    /// The address to bind: `127.0.0.1` unless told otherwise.
    public var host = "127.0.0.1"
    /// The TCP port; 0 lets the system choose (tests).
    public var port = 8080
    /// When set, every request but `GET /health` and CORS preflights needs `Authorization: Bearer <token>`.
    public var token: String?
    /// Allows binding an address other than loopback without a token.
    public var insecure = false
    /// No `POST /v1/documents` or `DELETE /v1/documents/{id}`: they answer 403.
    public var readOnly = false
    /// Browser origins (`https://app.example.com`) that may call the API: they get CORS headers.
    /// Any other origin that is not loopback is refused (a web page must not reach the server).
    public var allowedOrigins: [String] = []
    /// Host names besides loopback and ``host`` that the `Host` header may carry (a name the
    /// machine is reached by when bound to a public address).
    public var allowedHosts: [String] = []
    /// The largest request body read, in bytes (a larger one gets 413).
    public var maxBodyBytes = 8 << 20
    /// How long a request may take to arrive. A connection on which no request head (or no
    /// piece of a body, or nothing at all between requests) arrives for this long (and a second
    /// more) is closed; a request body not whole this long after its reading began gets 408, then
    /// the connection closes. Without it, a client that announces more bytes than it sends holds
    /// its request open for ever. The response to a whole request (a long generation) is not
    /// limited by it.
    public var requestReadTimeout = Duration.seconds(30)
    /// Where text sent to `POST /v1/documents` is kept as files, so that the index can re-read
    /// them like any other document (default: `<index file>.uploads/`).
    public var uploadsFolder: URL
    /// Generations (`/v1/ask`, `/v1/chat/completions`) that run at once; the rest wait in line.
    public var concurrentGenerations = 1
    /// The longest chat prompt accepted, in decoder tokens (the messages' text): a longer one gets
    /// 400 `context_length_exceeded` before it takes a generation slot. The decoder's prefill
    /// grows with the prompt (a 5,000-token prompt held the single slot for 74 s on 2 cores).
    public var maxPromptTokens = 2048
    /// The longest a generation may run once its turn has come: then it stops, and the reply
    /// is what was generated so far (`finish_reason: "length"` in the OpenAI shapes), so that
    /// one request cannot hold a generation slot for ever.
    public var maxGenerationTime = Duration.seconds(120)
    /// The largest file `POST /v1/documents` reads (a larger one named directly gets 400; one in a
    /// folder is reported as skipped).
    public var fileSizeLimits = FileSizeLimits.standard

    public init(uploadsFolder: URL) {
        self.uploadsFolder = uploadsFolder
    }

    /// Refuses a configuration that would expose the index: a non-loopback address without a
    /// token (unless ``insecure``), a port out of range, an origin that is not `scheme://host[:port]`.
    public func validate() throws {
        guard (0...65535).contains(port) else { throw ServerSetupError.port(port) }
        if !Self.isLoopback(host) && (token ?? "").isEmpty && !insecure {
            throw ServerSetupError.publicAddressWithoutToken(host: host)
        }
        if let token, token.isEmpty { throw ServerSetupError.emptyToken }
        for origin in allowedOrigins where OriginName(origin) == nil || origin.hasSuffix("/") {
            throw ServerSetupError.origin(origin)
        }
        guard concurrentGenerations >= 1 else { throw ServerSetupError.concurrentGenerations(concurrentGenerations) }
        guard requestReadTimeout > .zero else { throw ServerSetupError.readTimeout(requestReadTimeout) }
        guard maxPromptTokens >= 1 else { throw ServerSetupError.maxPromptTokens(maxPromptTokens) }
        guard maxGenerationTime > .zero else { throw ServerSetupError.generationTime(maxGenerationTime) }
    }

    /// True for `localhost`, `127.0.0.0/8` and `::1` (with or without brackets).
    public static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if name == "localhost" || name.hasSuffix(".localhost") || name == "::1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// True for the wildcard addresses, which listen on every interface.
    var bindsEveryInterface: Bool { host == "0.0.0.0" || host == "::" || host == "[::]" }
}

/// A configuration `trove serve` refuses to start with.
public enum ServerSetupError: Error, CustomStringConvertible, Equatable {
    case publicAddressWithoutToken(host: String)
    case emptyToken
    case port(Int)
    case origin(String)
    case concurrentGenerations(Int)
    case readTimeout(Duration)
    case maxPromptTokens(Int)
    case generationTime(Duration)

    public var description: String {
        switch self {
        case .publicAddressWithoutToken(let host):
            return "refusing to listen on \(host) without --token: anyone who can reach it could read the index " +
                "(give --token SECRET, or --insecure if the network is trusted)"
        case .emptyToken:
            return "--token is empty"
        case .port(let port):
            return "port \(port) is outside 0–65535"
        case .origin(let origin):
            return "--allow-origin \(origin) is not an origin like https://app.example.com (scheme, host, optional port; no path)"
        case .concurrentGenerations(let n):
            return "concurrent generations must be at least 1, got \(n)"
        case .readTimeout(let timeout):
            return "the request read timeout must be more than 0 seconds, got \(timeout)"
        case .maxPromptTokens(let n):
            return "the prompt limit must be at least 1 token, got \(n)"
        case .generationTime(let limit):
            return "the generation time limit must be more than 0 seconds, got \(limit)"
        }
    }
}

/// The host part of an origin (`http://localhost:3000` → `localhost`), or nil when it is not one.
struct OriginName {
    let scheme: String
    let host: String

    init?(_ origin: String) {
        guard let components = URLComponents(string: origin), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
              components.path.isEmpty || components.path == "/", components.query == nil else { return nil }
        self.scheme = scheme
        self.host = host.lowercased()
    }
}
