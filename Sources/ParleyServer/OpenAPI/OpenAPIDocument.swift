import Foundation

/// The OpenAPI 3 description of the REST API, served at `GET /openapi.json`. The document
/// is the resource `openapi.json` beside this file, kept by hand beside the routes;
/// `OpenAPIDocumentTests` sends every operation it lists to a running server and checks
/// that each answer is one the document lists.
enum OpenAPIDocument {
    /// The document's text, read from the bundle once.
    static let json: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            // A target resource (Package.swift): without it the build is broken, not a request.
            fatalError("openapi.json is missing from the ParleyServer bundle")
        }
        return text
    }()
}
