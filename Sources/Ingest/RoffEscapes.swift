import Foundation

/// The text that a line of roff prints in a terminal, as `man` shows it: escapes resolved
/// (`\fBls\fR` → "ls", `\-` → "-", `\(em` → "—", `\*(lq` → "“", `\[u00E9]` → "é"), font, size,
/// motion and drawing escapes dropped, comments (`\"`) cut off.
///
/// The escapes are groff's (groff(7), "Escape sequences"); the special characters are those of
/// groff_char(7) that man pages use. User-defined strings (`.ds`) are kept in ``strings``.
struct RoffEscapes {
    /// Strings defined with `.ds name value`, raw (their escapes are resolved where they are used).
    var strings: [String: String] = ["R": "®", "Tm": "™", "lq": "“", "rq": "”"]

    /// `line` as printed, and whether it ends in `\c` (the next line continues it with no space).
    func text(_ line: Substring) -> (text: String, continues: Bool) {
        var out = String.UnicodeScalarView()
        let continues = resolve(Array(line.unicodeScalars), into: &out, depth: 0)
        return (String(out), continues)
    }

    /// Resolves `s` into `out`; true when it ends in `\c`. `depth` bounds strings that name themselves.
    private func resolve(_ s: [Unicode.Scalar], into out: inout String.UnicodeScalarView, depth: Int) -> Bool {
        var i = 0
        while i < s.count {
            let c = s[i]
            i += 1
            guard c == "\\", i < s.count else { out.append(c); continue }
            let e = s[i]
            i += 1
            switch e {
            case "\"", "#": return false                                   // comment to the end of the line
            case "\\", "e", "E": out.append("\\")
            case "-", "_", ".", "'", "`": out.append(e)
            case " ", "~", "0": out.append(" ")
            case "t": out.append("\t")
            case "c": if i == s.count { return true }
            case "(":
                let name = String(String.UnicodeScalarView(s[i ..< min(i + 2, s.count)]))
                i = min(i + 2, s.count)
                out.append(contentsOf: Self.special(name).unicodeScalars)
            case "[":
                let name = Self.bracketed(s, &i)
                out.append(contentsOf: Self.special(name).unicodeScalars)
            case "C":
                out.append(contentsOf: Self.special(Self.delimited(s, &i)).unicodeScalars)
            case "N":
                if let code = UInt32(Self.delimited(s, &i)), let scalar = Unicode.Scalar(code) { out.append(scalar) }
            case "*":
                let name = Self.name(s, &i)
                if depth < 8, let value = strings[name] { _ = resolve(Array(value.unicodeScalars), into: &out, depth: depth + 1) }
            case "s":
                // \s+2, \s-1, \s0, \s(12, \s[12], \s'12': a size change, nothing printed.
                if i < s.count, s[i] == "+" || s[i] == "-" { i += 1 }
                if i < s.count, s[i] == "(" || s[i] == "[" || s[i] == "'" { _ = Self.name(s, &i) }
                else { while i < s.count, ("0"..."9").contains(s[i]) { i += 1 } }
            case "n":
                if i < s.count, s[i] == "+" || s[i] == "-" { i += 1 }
                _ = Self.name(s, &i)                                        // a number register: not printed
            case "f", "F", "k", "m", "M", "g", "Y", "V", "$", "O":
                _ = Self.name(s, &i)                                        // fonts, colours, registers
            case "h", "v", "w", "l", "L", "o", "b", "x", "X", "Z", "D", "R", "S", "H", "A", "B":
                _ = Self.delimited(s, &i)                                   // motions, drawing, device controls
            case "|", "^", "&", ")", "%", ":", "/", ",", "!", "d", "u", "r", "p", "a", "{", "}", "z", "\n":
                break                                                       // spacing and markers: nothing printed
            default:
                out.append(e)                                               // \X for an unknown X prints X
            }
        }
        return false
    }

    /// A name after `\*`, `\f`, `\n`…: one character, `(xx`, or `[name]`.
    private static func name(_ s: [Unicode.Scalar], _ i: inout Int) -> String {
        guard i < s.count else { return "" }
        let c = s[i]
        i += 1
        switch c {
        case "(":
            let name = String(String.UnicodeScalarView(s[i ..< min(i + 2, s.count)]))
            i = min(i + 2, s.count)
            return name
        case "[": return bracketed(s, &i)
        default: return String(c)
        }
    }

    /// The text up to `]` (after a `[`), the index moved past it.
    private static func bracketed(_ s: [Unicode.Scalar], _ i: inout Int) -> String {
        let start = i
        while i < s.count, s[i] != "]" { i += 1 }
        let name = String(String.UnicodeScalarView(s[start ..< i]))
        if i < s.count { i += 1 }
        return name
    }

    /// The argument of `\h'…'`, `\C'…'`: between two copies of the character after the escape.
    private static func delimited(_ s: [Unicode.Scalar], _ i: inout Int) -> String {
        guard i < s.count else { return "" }
        let delimiter = s[i]
        i += 1
        let start = i
        while i < s.count, s[i] != delimiter { i += 1 }
        let text = String(String.UnicodeScalarView(s[start ..< i]))
        if i < s.count { i += 1 }
        return text
    }

    /// The character a special-character name stands for: `em` → "—", `u00E9` → "é",
    /// `'e` → "é"; an unknown name prints nothing.
    static func special(_ name: String) -> String {
        if let known = specialCharacters[name] { return known }
        if name.hasPrefix("u"), name.count >= 5 {
            // \[u00E9], or a composite \[u0065_0301].
            let scalars = name.dropFirst().split(separator: "_").compactMap { UInt32($0, radix: 16).flatMap(Unicode.Scalar.init) }
            return String(String.UnicodeScalarView(scalars)).precomposedStringWithCanonicalMapping
        }
        if name.hasPrefix("char"), let code = UInt32(name.dropFirst(4)), let scalar = Unicode.Scalar(code) { return String(scalar) }
        if name.count == 2, let accent = accents[name.first!], let letter = name.last, letter.isLetter {
            return (String(letter) + accent).precomposedStringWithCanonicalMapping
        }
        return ""
    }

    /// Accented letters `\('e`, `\(:u`, `\(,c`: the accent as a combining mark.
    private static let accents: [Character: String] = [
        "'": "\u{301}", "`": "\u{300}", ":": "\u{308}", "^": "\u{302}", "~": "\u{303}", ",": "\u{327}", "v": "\u{30C}",
    ]

    /// groff_char(7)'s names that man pages use.
    private static let specialCharacters: [String: String] = [
        "em": "—", "en": "–", "hy": "-", "mi": "-", "pl": "+", "mu": "×", "di": "÷", "+-": "±", "bu": "•",
        "lq": "“", "rq": "”", "oq": "‘", "cq": "’", "aq": "'", "dq": "\"", "Bq": "„", "bq": "‚",
        "Fo": "«", "Fc": "»", "fo": "‹", "fc": "›", "la": "⟨", "ra": "⟩", "lB": "[", "rB": "]", "lC": "{", "rC": "}",
        "co": "©", "rg": "®", "tm": "™", "de": "°", "dg": "†", "dd": "‡", "sc": "§", "ps": "¶", "ct": "¢",
        "Po": "£", "Ye": "¥", "Eu": "€", "eu": "€", "mc": "µ", "ss": "ß", "ae": "æ", "AE": "Æ", "o/": "ø", "O/": "Ø",
        "oa": "å", "oA": "Å", "r!": "¡", "r?": "¿", "12": "½", "14": "¼", "34": "¾", "S1": "¹", "S2": "²", "S3": "³",
        ">=": "≥", "<=": "≤", "!=": "≠", "==": "≡", "~=": "≅", "~~": "≈", "ap": "~", "no": "¬", "if": "∞", "sr": "√",
        "->": "→", "<-": "←", "<>": "↔", "rA": "⇒", "lA": "⇐", "hA": "⇔", "ua": "↑", "da": "↓",
        "ti": "~", "ha": "^", "rs": "\\", "sl": "/", "ba": "|", "br": "│", "bv": "│", "ul": "_", "ru": "_", "rn": "‾",
        "at": "@", "sh": "#", "Do": "$", "pc": "·", "ci": "○", "sq": "□", "*a": "α", "*b": "β", "*m": "μ", "*p": "π",
        "ff": "ff", "fi": "fi", "fl": "fl", "Fi": "ffi", "Fl": "ffl",
    ]
}
