import Foundation
import Ingest

/// What one round of `trove watch` did: the ingest of the files written since the last round,
/// and the documents removed because their files went away.
public struct WatchRound: Sendable {
    public var report: IngestReport
    public var removed: [String]
    /// From the first change of the round to the end of its writes.
    public var secondsSinceFirstChange: Double
}

/// How `watch` waits and batches.
public struct WatchOptions: Sendable {
    /// A round starts once no change has arrived for this long (an editor's save is several events)…
    public var quietPeriod: Duration = .milliseconds(250)
    /// …or once changes have waited this long (a burst of thousands never starves the index).
    public var longestWait: Duration = .seconds(2)
    /// Where inotify cannot watch (the system's watch limit), the folders are scanned this often instead.
    public var scanInterval: Duration = .seconds(30)

    public init() {}
}

extension TroveIndex {
    /// Keeps the index in step with the folders `roots` until `stop` is raised: first an ingest
    /// of them (changes made while nobody watched), then, for each batch of changes that inotify
    /// reports (``FolderWatcher``), an ingest of the files written (exactly those `trove ingest
    /// ROOT` would read: ``FolderWalker/includes(_:)``), a re-ingest of a root where a folder
    /// appeared or events were lost, and a removal of what went away. Every write is the
    /// ingest's own, one transaction per document. Where the system's inotify watch limit is
    /// reached, `notice` says so and the roots are scanned every `options.scanInterval` instead.
    /// Everything goes into `collection`, by default the collection named after its root.
    public func watch(_ roots: [URL], collection: String? = nil, options: WatchOptions = WatchOptions(), stop: CancellationFlag,
                      notice: (String) -> Void = { _ in }, onRound: (WatchRound) -> Void = { _ in }) throws {
        let roots = roots.map(\.standardizedFileURL)
        let walkers = roots.map { FolderWalker(root: $0) }
        let clock = ContinuousClock()
        onRound(WatchRound(report: try ingest(roots, collection: collection), removed: [], secondsSinceFirstChange: 0))

        var watcher: FolderWatcher?
        do {
            watcher = try FolderWatcher(roots: roots)
        } catch let limit as WatchLimitReached {
            notice("\(limit); scanning the folders every \(options.scanInterval.components.seconds) s instead")
        }
        var written: [String: Bool] = [:]       // path → is a folder
        var gone: Set<String> = []
        var rescan = false
        var firstChange: ContinuousClock.Instant?, lastChange = clock.now, lastScan = clock.now
        while !stop.isCancelled {
            if let watcher {
                for change in try watcher.next(timeout: .milliseconds(100)) {
                    switch change {
                    case .written(let path, let isFolder):
                        written[path] = isFolder
                        gone.remove(path)
                    case .gone(let path):
                        gone.insert(path)
                        written[path] = nil
                    case .lost:
                        rescan = true
                    }
                    if firstChange == nil { firstChange = clock.now }
                    lastChange = clock.now
                }
            } else {
                Thread.sleep(forTimeInterval: 0.1)
                if clock.now - lastScan >= options.scanInterval {
                    rescan = true
                    firstChange = clock.now
                    lastScan = clock.now
                }
            }
            guard let first = firstChange,
                  clock.now - lastChange >= options.quietPeriod || clock.now - first >= options.longestWait else { continue }
            // A new folder's files, or lost events: its root is walked again (unchanged files cost a stat).
            var targets = Set(written.filter(\.value).keys.compactMap { path in roots.first { Self.path(path, isUnder: $0) } })
            if rescan { targets = Set(roots) }
            let files = written.filter { !$0.value }.keys.sorted().map { URL(fileURLWithPath: $0) }
                .filter { file in !targets.contains { Self.path(file.path, isUnder: $0) } && walkers.contains { $0.includes(file) } }
            let vanished = gone.sorted().filter { !FileManager.default.fileExists(atPath: $0) }
            written = [:]
            gone = []
            rescan = false
            firstChange = nil
            var report = IngestReport()
            for root in roots {
                // A file written below a root belongs to the root's collection, not its own folder's.
                let paths = targets.filter { $0 == root } + files.filter { file in roots.first { Self.path(file.path, isUnder: $0) } == root }
                guard !paths.isEmpty else { continue }
                let name = collection ?? IngestPipeline.defaultCollection(ofPath: root.path, isFolder: true)
                report.add(try ingest(paths, collection: name))
            }
            // Files written are ingested first: a renamed file then keeps its vectors (a move).
            let removed = vanished.isEmpty ? [] : try remove(vanished.map { URL(fileURLWithPath: $0) }).removed
            if report.added + report.updated + report.moved + report.removed + removed.count > 0 || !report.skipped.isEmpty {
                onRound(WatchRound(report: report, removed: removed, secondsSinceFirstChange: (clock.now - first) / .seconds(1)))
            }
        }
    }

    /// True when `path` is `folder` or lies below it.
    static func path(_ path: String, isUnder folder: URL) -> Bool {
        let base = folder.path
        return path == base || path.hasPrefix(base.hasSuffix("/") ? base : base + "/")
    }
}
