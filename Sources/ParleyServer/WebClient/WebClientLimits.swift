import ParleyCore

/// The sizes the web client needs to know, as `GET /web/limits.json` serves them: the
/// values of `ParleyCore`'s `Limits`, so the page checks a message or a label against
/// the server's own numbers instead of a copy of them.
struct WebClientLimits: Codable, Equatable, Sendable {
    var maxContentBytes = Limits.maxContentBytes
    var maxRequestBodyBytes = Limits.maxRequestBodyBytes
    var minParticipants = Limits.minParticipants
    var maxParticipants = Limits.maxParticipants
    var maxUserIdBytes = Limits.maxUserIDBytes
    var maxLabels = Limits.maxLabels
    var maxLabelBytes = Limits.maxLabelBytes
    var maxExternalIdBytes = Limits.maxExternalIDBytes
    var maxSubjectBytes = Limits.maxSubjectBytes
    var defaultPageSize = Limits.defaultPageSize
    var maxPageSize = Limits.maxPageSize
    var defaultSearchPageSize = Limits.defaultSearchPageSize
    var maxSearchPageSize = Limits.maxSearchPageSize
    var maxSearchQueryBytes = Limits.maxSearchQueryBytes
    var maxSearchWords = Limits.maxSearchWords
    var minSearchPrefixCharacters = Limits.minSearchPrefixCharacters
}
