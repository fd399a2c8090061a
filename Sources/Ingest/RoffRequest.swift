import Foundation

/// One control line of roff source (`.SH "SEE ALSO"`, `.if n .sp`): the request or macro name and
/// its arguments, split as roff splits them (groff(7), "Requests"): at spaces, except inside
/// double quotes (where `""` is one quote) or after a backslash (`\ ` is an escaped space).
struct RoffRequest {
    var name: String
    /// The arguments, escapes not yet resolved.
    var arguments: [Substring]
    /// Everything after the name, as written (for `.ds`, `.if` and macros that take a whole line).
    var rest: Substring

    /// Parses `line` (starting with the control character `.` or `'`); nil for a line that is not a
    /// request (a comment `.\"`, or a lone `.`).
    init?(_ line: Substring) {
        var body = line.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
        if body.hasPrefix("\\\"") || body.isEmpty { return nil }
        // The name ends at a space, or at an escape (`.if\n(.g`, rare) that starts the arguments.
        let end = body.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? body.endIndex
        name = String(body[..<end])
        body = body[end...].drop(while: { $0 == " " || $0 == "\t" })
        rest = Self.withoutComment(body)
        arguments = Self.split(rest)
    }

    /// `text` up to a comment (`\"`), trailing spaces dropped.
    static func withoutComment(_ text: Substring) -> Substring {
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == "\\" {
                let next = text.index(after: i)
                if next < text.endIndex, text[next] == "\"" {
                    var head = text[..<i]
                    while head.last == " " || head.last == "\t" { head = head.dropLast() }
                    return head
                }
                i = next < text.endIndex ? text.index(after: next) : next
            } else {
                i = text.index(after: i)
            }
        }
        return text
    }

    /// Arguments as roff splits them.
    static func split(_ text: Substring) -> [Substring] {
        var arguments: [Substring] = []
        var i = text.startIndex
        while i < text.endIndex {
            while i < text.endIndex, text[i] == " " || text[i] == "\t" { i = text.index(after: i) }
            guard i < text.endIndex else { break }
            if text[i] == "\"" {
                // A quoted argument: "" inside stands for one quote.
                var argument = ""
                i = text.index(after: i)
                while i < text.endIndex {
                    if text[i] == "\"" {
                        let next = text.index(after: i)
                        if next < text.endIndex, text[next] == "\"" { argument.append("\""); i = text.index(after: next); continue }
                        i = next
                        break
                    }
                    argument.append(text[i])
                    i = text.index(after: i)
                }
                arguments.append(Substring(argument))
            } else {
                let start = i
                while i < text.endIndex, text[i] != " ", text[i] != "\t" {
                    if text[i] == "\\" { i = text.index(after: i) }       // `\ ` does not end the argument
                    if i < text.endIndex { i = text.index(after: i) }
                }
                arguments.append(text[start ..< i])
            }
        }
        return arguments
    }
}

/// The condition of `.if` and `.ie` (groff(7), "Conditional expressions"), judged as `man` in a
/// terminal judges it: `n` (nroff) is true, `t` (troff) false, and a numeric condition true when
/// it is a non-zero number. Registers are not kept, so `\n(.g` and the like count as 0.
enum RoffCondition {
    /// Whether `text` (what follows `.if `) holds, and the body after the condition.
    static func evaluate(_ text: Substring, strings: [String: String], escapes: RoffEscapes) -> (holds: Bool, body: Substring) {
        var rest = text
        var negated = false
        if rest.first == "!" { negated = true; rest = rest.dropFirst() }
        var holds = false
        if let first = rest.first {
            switch first {
            case "n": holds = true; rest = rest.dropFirst()
            case "t", "o", "e", "v": rest = rest.dropFirst()
            case "d", "r", "c", "m", "F", "S":
                // `d name`: a string or macro is defined; the others concern the typesetter.
                rest = rest.dropFirst().drop(while: { $0 == " " })
                let end = rest.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? rest.endIndex
                holds = first == "d" && strings[String(rest[..<end])] != nil
                rest = rest[end...]
            case "'", "\"", "/":
                // 'a'b': the two strings, as printed, are equal.
                let parts = rest.dropFirst().split(separator: first, maxSplits: 2, omittingEmptySubsequences: false)
                if parts.count >= 2 {
                    holds = escapes.text(parts[0]).text == escapes.text(parts[1]).text
                    rest = parts.count == 3 ? parts[2] : ""
                } else {
                    rest = ""
                }
            default:
                let end = rest.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? rest.endIndex
                let expression = escapes.text(rest[..<end]).text
                holds = Int(expression).map { $0 > 0 } ?? false
                rest = rest[end...]
            }
        }
        return (holds != negated, rest.drop(while: { $0 == " " || $0 == "\t" }))
    }
}
