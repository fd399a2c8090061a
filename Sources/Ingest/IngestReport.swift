import Foundation

/// What one ingest did, counted in documents (a `.jsonl` file holds one per record).
///
/// Encodes with snake_case keys for `trove ingest --json`:
/// `{"added":2,"updated":0,"unchanged":5,"moved":1,"removed":0,"skipped":[{"path":…,"reason":…}],
///   "chunks_written":14,"word_pieces_written":2310,"seconds":0.8}`.
public struct IngestReport: Sendable, Equatable, Codable {
    /// New paths, read, chunked and embedded.
    public var added = 0
    /// Known paths whose content changed, re-embedded.
    public var updated = 0
    /// Known paths with the same size and mtime, or the same content hash (not embedded again).
    public var unchanged = 0
    /// Files found under a new path with the content of a document whose file is gone: renamed in
    /// the index, chunks and vectors kept.
    public var moved = 0
    /// Documents under an ingested folder whose files are gone, or JSONL records no longer in their file.
    public var removed = 0
    /// Files not read, with the reason (unsupported type, binary, unreadable, malformed…). Whatever
    /// the index held for them is kept.
    public var skipped: [SkippedFile] = []
    /// Chunks embedded and written by this run.
    public var chunksWritten = 0
    /// The encoder's word pieces in those chunks' text (what the encoder's time grows with).
    public var wordPiecesWritten = 0
    /// Wall-clock duration.
    public var seconds = 0.0

    /// An empty report (all counts 0).
    public init() {}

    /// Adds the counts of another run (one after the other: the durations add up too).
    public mutating func add(_ other: IngestReport) {
        added += other.added
        updated += other.updated
        unchanged += other.unchanged
        moved += other.moved
        removed += other.removed
        skipped += other.skipped
        chunksWritten += other.chunksWritten
        wordPiecesWritten += other.wordPiecesWritten
        seconds += other.seconds
    }

    enum CodingKeys: String, CodingKey {
        case added, updated, unchanged, moved, removed, skipped
        case chunksWritten = "chunks_written"
        case wordPiecesWritten = "word_pieces_written"
        case seconds
    }
}

/// Where an ingest is, reported after each file (for a progress line on stderr).
public struct IngestProgress: Sendable, Equatable {
    /// Files finished (read or found unchanged, skipped included) and files to look at.
    public var filesDone: Int
    /// Files found by the walk (after ignore rules) plus files named directly.
    public var filesTotal: Int
    /// Chunks embedded and written so far.
    public var chunksWritten: Int
    /// `chunksWritten` / seconds since the start.
    public var chunksPerSecond: Double
    /// Seconds left: the word pieces left to embed (those read, and the files not read yet at the
    /// word pieces per byte seen so far) over the word pieces embedded per second; `nil` until a
    /// file is done.
    public var secondsRemaining: Double?
    /// The file just finished.
    public var currentPath: String

    /// A progress value (the pipeline makes these; public for the CLI's tests).
    public init(filesDone: Int, filesTotal: Int, chunksWritten: Int, chunksPerSecond: Double,
                secondsRemaining: Double?, currentPath: String) {
        self.filesDone = filesDone
        self.filesTotal = filesTotal
        self.chunksWritten = chunksWritten
        self.chunksPerSecond = chunksPerSecond
        self.secondsRemaining = secondsRemaining
        self.currentPath = currentPath
    }
}
