import ParleyMedia
import Testing

@Suite struct MultipartBoundaryTests {
    @Test func readsABrowsersBoundary() {
        #expect(MultipartBoundary.parse(contentType: "multipart/form-data; boundary=----WebKitFormBoundaryQ3bZ8d1x0sK9TmvA")
            == Array("----WebKitFormBoundaryQ3bZ8d1x0sK9TmvA".utf8))
    }

    @Test func readsAQuotedBoundaryWithAnyCaseAndOtherParameters() {
        #expect(MultipartBoundary.parse(contentType: "Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b:c=?\"") == Array("a b:c=?".utf8))
        #expect(MultipartBoundary.parse(contentType: "multipart/form-data;boundary=----=_Part_0") == Array("----=_Part_0".utf8))
    }

    @Test func acceptsSeventyCharactersAndNoMore() {
        let seventy = String(repeating: "a", count: 70)
        #expect(MultipartBoundary.parse(contentType: "multipart/form-data; boundary=\(seventy)") == Array(seventy.utf8))
        #expect(MultipartBoundary.parse(contentType: "multipart/form-data; boundary=\(seventy)a") == nil)
    }

    @Test(arguments: [
        "application/json",
        "multipart/mixed; boundary=abc",
        "text/plain; boundary=abc",
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\"\"",
        "multipart/form-data; boundary=\"abc \"",
        "multipart/form-data; boundary=ab@c",
        "multipart/form-data; boundary=\"a;b\"",
        "multipart/form-data; boundary=abc; boundary=abd",
        "multipart/form-data; boundary=\"abc",
        "multipart/form-data; boundary=\"abc\"x",
        "",
    ])
    func refusesAnythingButAValidFormDataBoundary(contentType: String) {
        #expect(MultipartBoundary.parse(contentType: contentType) == nil)
    }
}
