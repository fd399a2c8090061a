// VectorIndex: work in progress on a branch; see ARCHITECTURE.md.
