/// A store whose search index trails its commits (SQLite indexes committed messages in
/// the background, off the sending transaction): it tells how many committed messages
/// are not indexed yet, for `parley_search_index_lag_messages`.
public protocol SearchIndexLagReporting: Sendable {
    /// `observer` hears the lag, in messages, after each indexing pass (at least a few
    /// times a second while the store runs). One observer; a later call replaces it.
    func observeSearchIndexLag(_ observer: @escaping @Sendable (Int64) -> Void)
}
