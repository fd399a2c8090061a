import Foundation
import TroveTestSupport

/// Where the BEIR datasets are: `TROVE_DATASETS`, else `Fixtures.datasetsFolder` (../shared/datasets
/// beside the repository). A worktree under /work/wt/NAME has no ../shared, hence the variable.
enum DatasetLocation {
    static var folder: URL {
        if let path = ProcessInfo.processInfo.environment["TROVE_DATASETS"] { return URL(fileURLWithPath: path) }
        return Fixtures.datasetsFolder
    }

    static var scifact: URL { folder.appendingPathComponent("scifact") }
}
