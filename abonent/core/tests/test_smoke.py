from abonent.core.roles import Role


def test_the_home_page_greets_a_signed_in_agent(client_as):
    response = client_as(Role.AGENT, first_name="Alena").get("/")
    assert response.status_code == 200
    assert "Alena" in response.content.decode()
