from abonent.core.roles import Role


def test_the_user_list_pages_by_id(client, bearer, make_user):
    _manager, headers = bearer(Role.MANAGER)
    for _n in range(4):
        make_user(Role.AGENT)

    first = client.get("/api/users?limit=2", headers=headers).json()
    second = client.get(f"/api/users?limit=2&after_id={first[-1]['id']}", headers=headers).json()

    assert len(first) == 2
    assert len(second) == 2
    ids = [u["id"] for u in first + second]
    assert ids == sorted(ids)
    assert len(set(ids)) == 4


def test_the_user_list_filters_by_role_and_hides_passwords(client, bearer, make_user):
    _manager, headers = bearer(Role.MANAGER)
    rep = make_user(Role.SALES_REP)
    make_user(Role.AGENT)

    body = client.get("/api/users?role=sales_rep", headers=headers).json()

    assert [u["username"] for u in body] == [rep.username]
    assert set(body[0]) == {"id", "username", "first_name", "last_name", "email", "role", "is_active"}


def test_a_limit_above_the_maximum_is_refused(client, bearer):
    _manager, headers = bearer(Role.MANAGER)

    assert client.get("/api/users?limit=201", headers=headers).status_code == 422
    assert client.get("/api/users?limit=0", headers=headers).status_code == 422
