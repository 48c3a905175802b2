/// The OpenAPI 3 description of the REST API, served at `/openapi.json`.
enum OpenAPIDocument {
    static let json = """
        {"openapi": "3.0.3"}
        """
}
