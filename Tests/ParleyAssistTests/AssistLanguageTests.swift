import ParleyAssist
import Testing

@Suite struct AssistLanguageTests {
    @Test func onlySpanishAndEnglishAreUnderstood() {
        #expect(AssistLanguage(rawValue: "es") == .es)
        #expect(AssistLanguage(rawValue: "en") == .en)
        #expect(AssistLanguage(rawValue: "fr") == nil)
    }
}
