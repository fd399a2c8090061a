/// A deterministic stand-in for the WordPiece counter, additive across whitespace like the real one:
/// per whitespace-separated word, each run of ASCII letters/digits counts ceil(length / 5) pieces,
/// and every other character (punctuation, CJK, emoji scalars, combining marks) counts one.
/// It over-counts English words a little, which only makes chunks smaller.
enum FakeWordPieceCounter {
    static func count(_ text: Substring) -> Int {
        var pieces = 0, run = 0
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) {
                run += 1
                continue
            }
            pieces += (run + 4) / 5
            run = 0
            if !(value == 0x20 || (0x09...0x0D).contains(value) || (value >= 0x80 && scalar.properties.isWhitespace)) { pieces += 1 }
        }
        return pieces + (run + 4) / 5
    }
}
