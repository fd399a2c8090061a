/// The pre-tokenizers llama.cpp runs before byte-level BPE, named as in `tokenizer.ggml.pre`.
///
/// Each splits text into words that BPE then merges independently. They are hand-written
/// matchers, not regular expressions, reproducing llama.cpp's own (unicode.cpp,
/// `unicode_regex_split_custom_gpt2` / `_llama3`), including its quirks:
///
/// - `smollm` (also starcoder, refact, command-r, codeshell, exaone): first `\p{N}` alone, so
///   every digit is its own fragment, then within each fragment the GPT-2 pattern
///   `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
///   The second pattern runs inside the fragments of the first, so `" 42"` gives `" "`, `"4"`, `"2"`.
/// - `gpt2`: the GPT-2 pattern alone.
/// - `llama3`: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
///   ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
/// - `qwen2`: as `llama3` with `\p{N}` (one digit) instead of `\p{N}{1,3}`.
/// - `qwen35`: as `qwen2` with marks counted as letters: `[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+` and
///   ` ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*` (`unicode_regex_split_custom_qwen35`).
///
/// Contractions are case-sensitive in the GPT-2 pattern (`DON'T` is not split at `'T`) and
/// case-insensitive in the llama3 one.
public enum PreTokenizer: String, Sendable, CaseIterable {
    case gpt2
    case smollm
    case llama3
    case qwen2
    case qwen35

    /// The pre-tokenizer for a `tokenizer.ggml.pre` value, or nil if Trove does not know it.
    /// Aliases follow llama.cpp's table (llama-vocab.cpp) for the patterns implemented here.
    public init?(ggufName name: String) {
        switch name {
        case "gpt2", "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v1-en", "jina-v2-es",
             "jina-v2-de", "jina-v2-code", "roberta-bpe", "mpt", "olmo", "jais", "trillion":
            self = .gpt2
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b":
            self = .smollm
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral", "dbrx", "smaug-bpe":
            self = .llama3
        case "qwen2", "deepseek-r1-qwen", "stablelm2", "megrez", "hunyuan":
            self = .qwen2
        case "qwen35":
            self = .qwen35
        default:
            return nil
        }
    }

    /// The names accepted by ``init(ggufName:)``, for error messages.
    public static let supportedNames = "gpt2, smollm, llama3, qwen2, qwen35 (and llama.cpp's aliases of these)"

    /// Splits UTF-8 `text` (valid UTF-8: it came from a `String`) into words, as byte ranges
    /// relative to `text`, in order and covering all of it.
    public func split(_ text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        let points = CodepointRun(text)
        var words: [Range<Int>] = []
        words.reserveCapacity(points.count / 3 + 1)
        switch self {
        case .gpt2:
            GPT2Matcher(points: points).split(0 ..< points.count, into: &words)
        case .smollm:
            let matcher = GPT2Matcher(points: points)
            var start = 0
            for i in 0 ..< points.count where points.classes[i].isNumber {
                if start < i { matcher.split(start ..< i, into: &words) }
                words.append(i ..< i + 1)
                start = i + 1
            }
            if start < points.count { matcher.split(start ..< points.count, into: &words) }
        case .llama3:
            Llama3Matcher(points: points, maxDigits: 3).split(0 ..< points.count, into: &words)
        case .qwen2:
            Llama3Matcher(points: points, maxDigits: 1).split(0 ..< points.count, into: &words)
        case .qwen35:
            Llama3Matcher(points: points, maxDigits: 1, marksAreLetters: true).split(0 ..< points.count, into: &words)
        }
        return words.map { points.byteOffsets[$0.lowerBound] ..< points.byteOffsets[$0.upperBound] }
    }
}

/// Text decoded to code points, with each one's class and byte offset (`byteOffsets` has one
/// extra entry: the end).
struct CodepointRun {
    var values: [UInt32] = []
    var classes: [CodepointClass] = []
    var byteOffsets: [Int] = []
    var count: Int { values.count }

    init(_ text: UnsafeBufferPointer<UInt8>) {
        values.reserveCapacity(text.count)
        classes.reserveCapacity(text.count)
        byteOffsets.reserveCapacity(text.count + 1)
        var i = 0
        while i < text.count {
            let lead = text[i]
            let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            var value = UInt32(lead)
            if length > 1 {
                value &= UInt32(0x7F >> length)
                for k in 1 ..< length where i + k < text.count { value = value << 6 | UInt32(text[i + k] & 0x3F) }
            }
            byteOffsets.append(i)
            values.append(value)
            classes.append(Unicode.Scalar(value).map(CodepointClass.init) ?? [])
            i += length
        }
        byteOffsets.append(min(i, text.count))
    }
}

/// Out-of-fragment look-ups answer a sentinel, as llama.cpp's `_get_cpt` / `_get_categ` do.
private let outOfRange: UInt32 = 0xFFFF_FFFF

/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` over one fragment.
private struct GPT2Matcher {
    let points: CodepointRun

    func split(_ fragment: Range<Int>, into words: inout [Range<Int>]) {
        let end = fragment.upperBound
        func cpt(_ p: Int) -> UInt32 { p < end ? points.values[p] : outOfRange }
        func cls(_ p: Int) -> CodepointClass? { p < end ? points.classes[p] : nil }
        func isOther(_ c: CodepointClass?) -> Bool { c.map { !$0.isWhitespace && !$0.isLetter && !$0.isNumber } ?? false }
        var wordStart = fragment.lowerBound
        func emit(_ p: Int) { if p > wordStart { words.append(wordStart ..< p) }; wordStart = p }

        var pos = fragment.lowerBound
        while pos < end {
            let c = cpt(pos)
            if c == 0x27, pos + 1 < end { // '
                let next = cpt(pos + 1)
                if next == 0x73 || next == 0x74 || next == 0x6D || next == 0x64 { // s t m d
                    pos += 2; emit(pos); continue
                }
                if pos + 2 < end {
                    let after = cpt(pos + 2)
                    if (next == 0x72 && after == 0x65) || (next == 0x76 && after == 0x65) || (next == 0x6C && after == 0x6C) { // re ve ll
                        pos += 3; emit(pos); continue
                    }
                }
            }
            let space = c == 0x20
            var class2 = space ? cls(pos + 1) : cls(pos)
            if class2?.isLetter == true { // ' ?\p{L}+'
                if space { pos += 1 }
                while class2?.isLetter == true { pos += 1; class2 = cls(pos) }
                emit(pos); continue
            }
            if class2?.isNumber == true { // ' ?\p{N}+'
                if space { pos += 1 }
                while class2?.isNumber == true { pos += 1; class2 = cls(pos) }
                emit(pos); continue
            }
            if isOther(class2) { // ' ?[^\s\p{L}\p{N}]+'
                if space { pos += 1 }
                while isOther(class2) { pos += 1; class2 = cls(pos) }
                emit(pos); continue
            }
            var spaces = 0
            while cls(pos + spaces)?.isWhitespace == true { spaces += 1 }
            if spaces > 1, cpt(pos + spaces) != outOfRange { // '\s+(?!\S)': leave the last space for the next word
                pos += spaces - 1; emit(pos); continue
            }
            if spaces > 0 { // '\s+'
                pos += spaces; emit(pos); continue
            }
            pos += 1; emit(pos) // no match: one code point alone
        }
    }
}

/// llama3's pattern (and qwen2's with `maxDigits` 1, qwen35's with marks as letters too) over one fragment.
private struct Llama3Matcher {
    let points: CodepointRun
    let maxDigits: Int
    var marksAreLetters = false

    func split(_ fragment: Range<Int>, into words: inout [Range<Int>]) {
        let end = fragment.upperBound
        func cpt(_ p: Int) -> UInt32 { p < end ? points.values[p] : outOfRange }
        func cls(_ p: Int) -> CodepointClass? { p < end ? points.classes[p] : nil }
        let letterClasses: CodepointClass = marksAreLetters ? [.letter, .mark] : .letter
        func isLetter(_ c: CodepointClass?) -> Bool { c.map { !$0.isDisjoint(with: letterClasses) } ?? false }
        func isOther(_ c: CodepointClass?) -> Bool { c.map { !$0.isWhitespace && !isLetter($0) && !$0.isNumber } ?? false }
        func lower(_ c: UInt32) -> UInt32 { (0x41 ... 0x5A).contains(c) ? c + 0x20 : c }
        func isNewline(_ c: UInt32) -> Bool { c == 0x0D || c == 0x0A }
        var wordStart = fragment.lowerBound
        func emit(_ p: Int) { if p > wordStart { words.append(wordStart ..< p) }; wordStart = p }

        var pos = fragment.lowerBound
        while pos < end {
            let c = cpt(pos)
            let klass = cls(pos)
            if c == 0x27, pos + 1 < end { // (?i:'s|'t|'re|'ve|'m|'ll|'d)
                let next = lower(cpt(pos + 1))
                if next == 0x73 || next == 0x74 || next == 0x6D || next == 0x64 {
                    pos += 2; emit(pos); continue
                }
                if pos + 2 < end {
                    let after = lower(cpt(pos + 2))
                    if (next == 0x72 && after == 0x65) || (next == 0x76 && after == 0x65) || (next == 0x6C && after == 0x6C) {
                        pos += 3; emit(pos); continue
                    }
                }
            }
            if !(isNewline(c) || klass?.isNumber == true), isLetter(klass) || isLetter(cls(pos + 1)) {
                pos += 1 // [^\r\n\p{L}\p{N}]?\p{L}+
                while isLetter(cls(pos)) { pos += 1 }
                emit(pos); continue
            }
            if klass?.isNumber == true { // \p{N}{1,maxDigits}
                var run = 0
                while cls(pos)?.isNumber == true {
                    pos += 1; run += 1
                    if run == maxDigits { emit(pos); run = 0 }
                }
                emit(pos); continue
            }
            var class2 = c == 0x20 ? cls(pos + 1) : klass
            if isOther(class2) { // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
                if c == 0x20 { pos += 1 }
                while isOther(class2) { pos += 1; class2 = cls(pos) }
                while isNewline(cpt(pos)) { pos += 1 }
                emit(pos); continue
            }
            var spaces = 0
            var lastNewlineEnd = 0
            while cls(pos + spaces)?.isWhitespace == true {
                if isNewline(cpt(pos + spaces)) { lastNewlineEnd = pos + spaces + 1 }
                spaces += 1
            }
            if lastNewlineEnd > 0 { // \s*[\r\n]+
                pos = lastNewlineEnd; emit(pos); continue
            }
            if spaces > 1, cpt(pos + spaces) != outOfRange { // \s+(?!\S)
                pos += spaces - 1; emit(pos); continue
            }
            if spaces > 0 { pos += spaces; emit(pos); continue } // \s+
            pos += 1; emit(pos)
        }
    }
}
