def test_the_docs_page_serves_the_openapi_ui(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page.lower()
    assert "/api/openapi.json" in page


def test_the_schema_lists_every_endpoint_and_both_ways_to_sign_in(client):
    schema = client.get("/api/openapi.json").json()

    assert schema["info"]["title"] == "Abonent API"
    assert {"/api/me", "/api/users", "/api/audit"} <= set(schema["paths"])
    assert {"TokenAuth", "StaffSessionAuth"} <= set(schema["components"]["securitySchemes"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("security"), f"{method.upper()} {path} takes no credentials"


def test_the_schema_lists_the_customers_endpoints_and_every_reference_in_it_resolves(client):
    schema = client.get("/api/openapi.json").json()

    assert {"/api/customers", "/api/customers/{customer_id}", "/api/customers/{customer_id}/history",
            "/api/customers/{customer_id}/stage", "/api/customers/{customer_id}/contacts/{contact_id}"} <= set(
        schema["paths"])
    operations = [op for operations in schema["paths"].values() for op in operations.values()]
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids))
    assert all(op["responses"] for op in operations)
    refs = set()

    def collect(node):
        if isinstance(node, dict):
            refs.update(v for k, v in node.items() if k == "$ref")
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(schema)
    assert refs
    assert {ref.rsplit("/", 1)[-1] for ref in refs} <= set(schema["components"]["schemas"])
