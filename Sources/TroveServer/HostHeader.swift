import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `Host` header value parsed as `uri-host [":" port]` (RFC 9110 §7.2, RFC 3986 §3.2.2), so that
/// the name compared against the allowed ones is the name a client connects to, never a prefix of
/// something else: `localhost:1@evil.com` is no host at all (a browser would reach `evil.com`).
///
/// - `host` is a name of letters, digits, `-`, `_` and `.` (what DNS and `/etc/hosts` hold; an
///   IPv4 address is one too), or an IPv6 literal in brackets (`[::1]`), which is put in its
///   canonical form (`[0:0:0:0:0:0:0:1]` → `::1`). A bare IPv6 address is refused: its colons
///   cannot be told from a port's.
/// - `port` is up to five digits, at most 65535; it may be empty (`localhost:`), as RFC 3986 allows.
///
/// ```swift
/// HostHeader(parsing: "[::1]:8080")            // name "::1", port 8080
/// HostHeader(parsing: "Example.COM.")          // name "example.com", no port
/// HostHeader(parsing: "localhost:1@evil.com")  // nil
/// ```
struct HostHeader: Equatable {
    /// Lower-cased, without brackets or a trailing dot; an IPv6 literal in canonical form.
    let name: String
    let port: Int?

    init?(parsing value: String) {
        let text = Substring(value)
        let rest: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"),
                  let literal = Self.canonicalIPv6(text[text.index(after: text.startIndex)..<close]) else { return nil }
            name = literal
            rest = text[text.index(after: close)...]
        } else {
            let colon = text.firstIndex(of: ":") ?? text.endIndex
            let hostPart = text[..<colon]
            rest = text[colon...]
            guard hostPart.unicodeScalars.allSatisfy(Self.isNameScalar) else { return nil }
            var lowered = hostPart.lowercased()
            if lowered.hasSuffix(".") { lowered.removeLast() }
            guard !lowered.isEmpty, !lowered.hasPrefix("."), !lowered.contains("..") else { return nil }
            name = lowered
        }
        if rest.isEmpty {
            port = nil
        } else {
            let digits = rest.dropFirst()
            guard rest.first == ":", digits.count <= 5, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            if digits.isEmpty {
                port = nil
            } else {
                guard let number = Int(digits), number <= 65535 else { return nil }
                port = number
            }
        }
    }

    /// A host name from the configuration (`--host`, `--allow-host`, an interface address) in the
    /// form ``name`` takes: lower-cased, brackets and a trailing dot dropped, an IPv6 address
    /// (bare or bracketed) canonical.
    static func normalizedName(_ configured: String) -> String {
        var text = configured.lowercased()
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if text.contains(":") { return canonicalIPv6(Substring(text)) ?? text }
        return text.hasSuffix(".") ? String(text.dropLast()) : text
    }

    /// `inet_ntop(inet_pton(literal))`, or nil when `literal` is not an IPv6 address (zone ids
    /// such as `%eth0` included: a Host header has no use for them).
    static func canonicalIPv6(_ literal: Substring) -> String? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, String(literal), &address) == 1 else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Letters, digits, `-`, `_`, `.` (ASCII only: an internationalised name arrives as punycode).
    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": return true
        default: return false
        }
    }
}
