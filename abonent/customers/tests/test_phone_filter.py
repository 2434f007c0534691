from abonent.customers.templatetags.customers import phone


def test_it_groups_a_stored_number_the_international_way():
    assert phone("+420602100231") == "+420 602 100 231"
    assert phone("+79181590830") == "+7 918 159-08-30"


def test_it_leaves_an_empty_or_unreadable_number_as_it_is():
    assert phone("") == ""
    assert phone("not a number") == "not a number"
