/// The patterns of one `.troveignore` file, with gitignore's meaning
/// (https://git-scm.com/docs/gitignore#_pattern_format):
///
/// - blank lines and lines starting with `#` are ignored (`\#` and `\!` escape them);
/// - `!pattern` re-includes what an earlier pattern excluded; the last matching pattern wins,
///   and patterns of a deeper folder's file come after (override) those of its parents;
/// - a trailing `/` matches folders only;
/// - a pattern with no `/` except a trailing one matches a name at any depth below the folder that
///   holds the `.troveignore`; otherwise it is anchored to that folder (a leading `/` just anchors);
/// - `*` matches anything but `/`, `?` one character but `/`, `[abc]`, `[a-z]`, `[!a-z]` one
///   character of a set; `**/` leading matches any folders, `/**` trailing everything inside,
///   `/**/` zero or more folders.
///
/// As in git, a file inside an excluded folder cannot be re-included: the walker never enters it.
public struct IgnoreRules: Sendable, Equatable {
    /// One pattern line.
    struct Rule: Sendable, Equatable {
        var segments: [String]
        var negated: Bool
        var directoryOnly: Bool
        /// Matched against the whole relative path (else against the last component only).
        var anchored: Bool
    }

    var rules: [Rule]

    /// Parses the contents of a `.troveignore` file.
    public init(parsing text: String) {
        rules = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).compactMap(Self.rule)
    }

    private static func rule(_ rawLine: Substring) -> Rule? {
        var line = Substring(rawLine.trimmingTrailingUnescapedSpaces())
        if line.hasSuffix("\r") { line = line.dropLast() }
        guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
        var negated = false
        if line.hasPrefix("!") { negated = true; line = line.dropFirst() }
        else if line.hasPrefix("\\!") || line.hasPrefix("\\#") { line = line.dropFirst() }
        var directoryOnly = false
        while line.hasSuffix("/") { directoryOnly = true; line = line.dropLast() }
        guard !line.isEmpty else { return nil }
        let anchored = line.contains("/")
        if line.hasPrefix("/") { line = line.dropFirst() }
        let segments = line.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !segments.isEmpty else { return nil }
        return Rule(segments: segments, negated: negated, directoryOnly: directoryOnly, anchored: anchored)
    }

    /// What these rules say about `relativePath` (components below the `.troveignore`'s folder):
    /// true = excluded, false = re-included, nil = no pattern matches.
    public func verdict(relativePath: [String], isDirectory: Bool) -> Bool? {
        var result: Bool? = nil
        for rule in rules where !(rule.directoryOnly && !isDirectory) {
            let matched = rule.anchored
                ? Self.match(rule.segments[...], relativePath[...])
                : relativePath.last.map { GlobPattern.matches(rule.segments[0], $0) } ?? false
            if matched { result = !rule.negated }
        }
        return result
    }

    /// Segment-wise match, where a `**` segment matches zero or more path components.
    static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let head = pattern.first else { return path.isEmpty }
        if head == "**" {
            let rest = pattern.dropFirst()
            if rest.isEmpty { return !path.isEmpty }
            var tail = path
            while true {
                if match(rest, tail) { return true }
                guard !tail.isEmpty else { return false }
                tail = tail.dropFirst()
            }
        }
        guard let component = path.first, GlobPattern.matches(head, component) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }
}

/// One path component against one glob segment: `*`, `?`, `[set]`, `\x` escapes.
enum GlobPattern {
    static func matches(_ pattern: String, _ name: String) -> Bool {
        match(Array(pattern.unicodeScalars), 0, Array(name.unicodeScalars), 0)
    }

    private static func match(_ p: [Unicode.Scalar], _ pi: Int, _ s: [Unicode.Scalar], _ si: Int) -> Bool {
        var pi = pi, si = si
        // Iterative star matching with one backtrack point: linear for patterns with one `*`.
        var starPattern = -1, starName = -1
        while si < s.count {
            if pi < p.count, p[pi] == "*" {
                while pi < p.count, p[pi] == "*" { pi += 1 }
                starPattern = pi; starName = si
                continue
            }
            if pi < p.count, let next = single(p, pi, s[si]) {
                pi = next; si += 1
                continue
            }
            guard starPattern >= 0 else { return false }
            starName += 1
            si = starName; pi = starPattern
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Matches one pattern element at `pi` against `c`; returns the index after it, or nil.
    private static func single(_ p: [Unicode.Scalar], _ pi: Int, _ c: Unicode.Scalar) -> Int? {
        switch p[pi] {
        case "?": return pi + 1
        case "\\" where pi + 1 < p.count: return p[pi + 1] == c ? pi + 2 : nil
        case "[":
            var index = pi + 1
            var negate = false
            if index < p.count, p[index] == "!" || p[index] == "^" { negate = true; index += 1 }
            var found = false, first = true
            while index < p.count, p[index] != "]" || first {
                first = false
                if index + 2 < p.count, p[index + 1] == "-", p[index + 2] != "]" {
                    if p[index] <= c && c <= p[index + 2] { found = true }
                    index += 3
                } else {
                    if p[index] == c { found = true }
                    index += 1
                }
            }
            guard index < p.count else { return p[pi] == c ? pi + 1 : nil }  // no "]": a literal "["
            return found != negate ? index + 1 : nil
        default: return p[pi] == c ? pi + 1 : nil
        }
    }
}

private extension Substring {
    /// gitignore drops trailing spaces unless escaped with a backslash.
    func trimmingTrailingUnescapedSpaces() -> Substring {
        var end = endIndex
        while end > startIndex {
            let before = index(before: end)
            guard self[before] == " " else { break }
            if before > startIndex, self[index(before: before)] == "\\" { break }
            end = before
        }
        return self[startIndex..<end]
    }
}
