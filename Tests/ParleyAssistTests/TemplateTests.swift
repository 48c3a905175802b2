import ParleyAssist
import Testing

@Suite struct TemplateTests {
    /// The contract's example template.
    private let contractExample = #"Hola {{buyer.name | "cliente"}}, tu pedido {{orderId}} sale hoy con {{custom.carrier}}."#

    // MARK: Rendering

    @Test func contractExampleFallsBackToClienteWithoutBuyerName() throws {
        let template = try MessageTemplateText.parse(contractExample)
        let rendering = template.render(values: ["orderId": "A-1234", "custom.carrier": "SEUR"])
        #expect(rendering == .rendered("Hola cliente, tu pedido A-1234 sale hoy con SEUR."))
    }

    @Test func contractExampleUsesBuyerNameWhenGiven() throws {
        let template = try MessageTemplateText.parse(contractExample)
        let rendering = template.render(values: ["buyer.name": "Lucía", "orderId": "A-1234", "custom.carrier": "SEUR"])
        #expect(rendering == .rendered("Hola Lucía, tu pedido A-1234 sale hoy con SEUR."))
    }

    @Test func emptyValueCountsAsMissing() throws {
        let template = try MessageTemplateText.parse(contractExample)
        let withFallback = template.render(values: ["buyer.name": "", "orderId": "7", "custom.carrier": "MRW"])
        #expect(withFallback == .rendered("Hola cliente, tu pedido 7 sale hoy con MRW."))
        let withoutFallback = template.render(values: ["orderId": "", "custom.carrier": "MRW"])
        #expect(withoutFallback == .missingVariables(["orderId"]))
    }

    @Test func missingVariablesAreSortedAndListedOnce() throws {
        let template = try MessageTemplateText.parse("{{subject}} {{orderId}} {{custom.zeta}} {{orderId}} {{custom.alfa}} {{me.name | \"yo\"}}")
        #expect(template.render(values: [:]) == .missingVariables(["custom.alfa", "custom.zeta", "orderId", "subject"]))
        #expect(template.render(values: ["orderId": "1", "subject": "s", "custom.alfa": "a"]) == .missingVariables(["custom.zeta"]))
    }

    @Test func everyStandardVariableAndCustomValuesRender() throws {
        let content = TemplateVariable.standardNames.map { "{{\($0)}}" }.joined(separator: ",") + ",{{custom.tracking_url-2}}"
        let template = try MessageTemplateText.parse(content)
        var values = Dictionary(uniqueKeysWithValues: TemplateVariable.standardNames.map { ($0, "<\($0)>") })
        values["custom.tracking_url-2"] = "https://example.com/t?id=9&x=1"
        values["custom.unused"] = "ignored"
        let expected = TemplateVariable.standardNames.map { "<\($0)>" }.joined(separator: ",") + ",https://example.com/t?id=9&x=1"
        #expect(template.render(values: values) == .rendered(expected))
    }

    @Test func valuesAreInsertedLiterallyWithoutReinterpretation() throws {
        let template = try MessageTemplateText.parse("Hola {{buyer.name}}.")
        let value = #"Ana "la \ jefa" }} | $1 %@ \n"#
        #expect(template.render(values: ["buyer.name": value]) == .rendered("Hola \(value)."))
    }

    @Test func whitespaceAroundNameAndBarIsAllowed() throws {
        let spellings = [
            #"{{orderId}}"#, #"{{ orderId }}"#, "{{\torderId\n}}", #"{{orderId|"x"}}"#, #"{{  orderId  |  "x"  }}"#, "{{\norderId\n|\n\"x\"\n}}",
        ]
        for spelling in spellings {
            let template = try MessageTemplateText.parse("n.º \(spelling)!")
            #expect(template.variables == ["orderId"], "\(spelling)")
            #expect(template.render(values: ["orderId": "42"]) == .rendered("n.º 42!"), "\(spelling)")
        }
    }

    @Test func fallbackEscapesAreUnescaped() throws {
        let template = try MessageTemplateText.parse(#"{{buyer.name | "la \"jefa\" \\ de {{todo}}|}}"}}"#)
        #expect(template.render(values: [:]) == .rendered(#"la "jefa" \ de { {todo}}|}}"#))
    }

    @Test func emptyFallbackRendersNothing() throws {
        let template = try MessageTemplateText.parse(#"Hola{{buyer.name | ""}}, gracias."#)
        #expect(template.render(values: [:]) == .rendered("Hola, gracias."))
    }

    @Test func strayClosingBracesAndLoneOpeningBraceAreText() throws {
        let content = "precio: {x} }} } { fin {"
        let template = try MessageTemplateText.parse(content)
        #expect(template.variables.isEmpty)
        #expect(template.render(values: [:]) == .rendered(content))
    }

    @Test func accentsAndEmojiArePreserved() throws {
        let content = "¡Hola {{buyer.name}}! 🎉 Tu pedido «{{orderId}}» llegó. Ñandú, café, 👩‍👩‍👧, 日本語"
        let template = try MessageTemplateText.parse(content)
        let rendering = template.render(values: ["buyer.name": "José Ángel 🇪🇸", "orderId": "№ 5"])
        #expect(rendering == .rendered("¡Hola José Ángel 🇪🇸! 🎉 Tu pedido «№ 5» llegó. Ñandú, café, 👩‍👩‍👧, 日本語"))
        #expect(template.content == content)
    }

    // MARK: The `{{`-never rule

    @Test func renderedTextNeverContainsDoubleOpeningBrace() throws {
        let hostileValues = [
            "{", "{{", "{{{", "{{{{", "{{orderId}}", "a{", "{a", "}{", "{{custom.x}}", "x{\u{301}", "{\u{301}", "\u{301}{", "{ {", "",
            "ok",
        ]
        let contents = [
            "{{custom.a}}{{custom.b}}",
            "{{custom.a}}{x{{custom.b}}{",
            "x{ {{custom.a}} {{custom.b}}}}",
            #"{{custom.a | "{"}}{{custom.b | "{{"}}{"#,
            "{{custom.a}}{\u{301}{{custom.b}}",
        ]
        var renderings = 0
        for content in contents {
            let template = try MessageTemplateText.parse(content)
            for a in hostileValues {
                for b in hostileValues {
                    guard case .rendered(let text) = template.render(values: ["custom.a": a, "custom.b": b]) else { continue }
                    renderings += 1
                    #expect(!containsDoubleOpeningBrace(text), "\(content) with \(a.debugDescription), \(b.debugDescription) gave \(text.debugDescription)")
                    // Nothing in a rendered text can be taken for a placeholder.
                    #expect((try? MessageTemplateText.parse(text))?.variables == [])
                }
            }
        }
        #expect(renderings > 500)
    }

    @Test func hostileValueIsNeutralisedNotDropped() throws {
        let template = try MessageTemplateText.parse("Hola {{buyer.name}}{x")
        #expect(template.render(values: ["buyer.name": "{{orderId}}"]) == .rendered("Hola { {orderId}}{x"))
        #expect(template.render(values: ["buyer.name": "Ana{"]) == .rendered("Hola Ana{ {x"))
        #expect(template.render(values: ["buyer.name": "a{b}c"]) == .rendered("Hola a{b}c{x"))
    }

    // MARK: Variables

    @Test func variablesAreInFirstAppearanceOrderWithoutRepeats() throws {
        #expect(try MessageTemplateText.parse(contractExample).variables == ["buyer.name", "orderId", "custom.carrier"])
        let repeated = try MessageTemplateText.parse("{{me.name}} {{orderId}} {{me.name | \"yo\"}} {{custom.b}} {{orderId}} {{custom.a}}")
        #expect(repeated.variables == ["me.name", "orderId", "custom.b", "custom.a"])
        #expect(try MessageTemplateText.parse("sin variables").variables == [])
    }

    @Test func customNamesFollowTheContractRule() {
        #expect(TemplateVariable.isKnown("custom." + String(repeating: "a", count: TemplateVariable.maximumCustomNameLength)))
        #expect(TemplateVariable.isKnown("custom.Carrier_2-b"))
        #expect(!TemplateVariable.isKnown("custom." + String(repeating: "a", count: TemplateVariable.maximumCustomNameLength + 1)))
        #expect(!TemplateVariable.isKnown("custom."))
        #expect(!TemplateVariable.isKnown("custom.a.b"))
        #expect(!TemplateVariable.isKnown("custom.ñ"))
        #expect(!TemplateVariable.isKnown("Buyer.name"))
    }

    // MARK: Syntax errors

    @Test func unknownVariableIsNamedWithItsPosition() {
        let error = syntaxError("Hola {{buyer.nombre}}, gracias")
        #expect(error?.reason == .unknownVariable("buyer.nombre"))
        #expect(error?.message == #"unknown variable "buyer.nombre" at character 8"#)
    }

    @Test func positionsCountCharactersNotBytes() {
        let error = syntaxError("👩‍👩‍👧 ¡Envío! {{nope}}")
        #expect(error?.message == #"unknown variable "nope" at character 13"#)
    }

    @Test func invalidCustomVariableIsNamed() {
        let error = syntaxError("{{ custom.transportista! }}")
        #expect(error?.reason == .invalidCustomVariable("custom.transportista!"))
        #expect(error?.message.hasPrefix(#"invalid custom variable "custom.transportista!" at character 4"#) == true)
    }

    @Test func unclosedPlaceholderIsAnError() {
        for content in ["Hola {{orderId", "Hola {{", "Hola {{ orderId }", "Hola {{orderId |", "Hola {{ orderId   "] {
            let error = syntaxError(content)
            #expect(error?.reason == .unclosedPlaceholder, "\(content)")
            #expect(error?.message == #""{{" at character 6 is not closed by "}}""#, "\(content)")
        }
    }

    @Test func emptyVariableNameIsAnError() {
        for content in ["a {{}}", "a {{  }}", #"a {{ | "x" }}"#] {
            let error = syntaxError(content)
            #expect(error?.reason == .emptyVariableName, "\(content)")
            #expect(error?.message == "empty variable name in the placeholder at character 3", "\(content)")
        }
    }

    @Test func badFallbackQuotingIsAnError() {
        let unquoted = syntaxError("{{buyer.name | cliente}}")
        #expect(unquoted?.reason == .fallbackNotQuoted)
        #expect(unquoted?.position == 16)
        #expect(unquoted?.message.contains("double-quoted") == true)

        let singleQuoted = syntaxError("{{buyer.name | 'cliente'}}")
        #expect(singleQuoted?.reason == .fallbackNotQuoted)

        let unterminated = syntaxError(#"{{buyer.name | "cliente}}"#)
        #expect(unterminated?.reason == .unterminatedFallback)
        #expect(unterminated?.message == "the fallback string starting at character 16 is not closed by a double quote")

        let badEscape = syntaxError(#"{{buyer.name | "hola\nadiós"}}"#)
        #expect(badEscape?.reason == .invalidEscape(#"\n"#))
        #expect(badEscape?.position == 21)
    }

    @Test func unexpectedTextInsidePlaceholderIsNamed() {
        let twoWords = syntaxError("{{orderId de compra}}")
        #expect(twoWords?.reason == .unexpectedText(found: "de", expected: #""|" or "}}""#))
        #expect(twoWords?.message == #"unexpected "de" at character 11: expected "|" or "}}""#)

        let twoFallbacks = syntaxError(#"{{orderId | "a" | "b"}}"#)
        #expect(twoFallbacks?.reason == .unexpectedText(found: "|", expected: #""}}""#))

        // Every `{{` opens a placeholder, so a third brace is not taken as text.
        let tripleBrace = syntaxError("{{{orderId}}}")
        #expect(tripleBrace?.reason == .unexpectedText(found: "{orderId}}}", expected: "a variable name"))
        #expect(tripleBrace?.position == 3)
    }

    @Test func placeholderCountIsLimited() throws {
        let atLimit = String(repeating: "{{orderId}} ", count: MessageTemplateText.maximumPlaceholders)
        #expect(try MessageTemplateText.parse(atLimit).variables == ["orderId"])
        let error = syntaxError(atLimit + "{{subject}}")
        #expect(error?.reason == .tooManyPlaceholders(limit: MessageTemplateText.maximumPlaceholders))
        #expect(error?.position == MessageTemplateText.maximumPlaceholders * 12 + 1)
        #expect(error?.message.contains("more than 50 placeholders") == true)
    }

    private func syntaxError(_ content: String) -> TemplateSyntaxError? {
        do {
            _ = try MessageTemplateText.parse(content)
            return nil
        } catch {
            return error
        }
    }

    /// Checked on UTF-8 bytes, as a client receiving the JSON would see them.
    private func containsDoubleOpeningBrace(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return zip(bytes, bytes.dropFirst()).contains { $0 == UInt8(ascii: "{") && $1 == UInt8(ascii: "{") }
    }
}
