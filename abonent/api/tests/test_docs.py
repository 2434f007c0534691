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
