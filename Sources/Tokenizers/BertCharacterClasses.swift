/// The character classes of HF tokenizers' `BertNormalizer` and `BertPreTokenizer`
/// (tokenizers/src/normalizers/bert.rs, pre_tokenizers/bert.rs), reproduced exactly.
extension Unicode.Scalar {
    /// Removed by `clean_text`: NUL, U+FFFD and "other" characters (Cc, Cf, Cn, Co, Cs) except
    /// tab, newline and carriage return. Removing (not spacing) them joins the text around them.
    var isBertRemoved: Bool {
        switch value {
        case 0, 0xFFFD: return true
        case 0x09, 0x0A, 0x0D: return false
        default:
            switch properties.generalCategory {
            case .control, .format, .unassigned, .privateUse, .surrogate: return true
            default: return false
            }
        }
    }

    /// Whitespace for `clean_text` and the pre-tokenizer: Unicode White_Space (Rust's
    /// `char::is_whitespace`). Checked after ``isBertRemoved``, so U+000B, U+000C and U+0085 (Cc)
    /// are removed rather than turned into spaces.
    var isBertWhitespace: Bool {
        switch value {
        case 0x09, 0x0A, 0x0D, 0x20: return true
        case 0..<0x80: return false
        default: return properties.isWhitespace
        }
    }

    /// Split off as a word of its own: ASCII punctuation and symbols (`!`…`/`, `:`…`@`, `[`…`` ` ``,
    /// `{`…`~`) and every Unicode punctuation category (Pc, Pd, Pe, Pf, Pi, Po, Ps).
    var isBertPunctuation: Bool {
        if value < 0x80 { return UInt8(value).isASCIIPunctuation }
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .closePunctuation, .finalPunctuation,
             .initialPunctuation, .otherPunctuation, .openPunctuation:
            return true
        default:
            return false
        }
    }

    /// CJK ideographs, which `handle_chinese_chars` surrounds with spaces (each becomes a word).
    var isCJKIdeograph: Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}

extension UInt8 {
    /// Rust's `u8::is_ascii_punctuation`: the 32 printable ASCII characters that are neither
    /// letters, digits nor space.
    @inline(__always)
    var isASCIIPunctuation: Bool {
        (0x21...0x2F).contains(self) || (0x3A...0x40).contains(self)
            || (0x5B...0x60).contains(self) || (0x7B...0x7E).contains(self)
    }
}
