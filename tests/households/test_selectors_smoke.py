from households import selectors


def test_each_persona_sees_the_household_only_within_scope(personas, household):
    visible = {
        name: selectors.household_list_for_user(user=user).filter(pk=household.pk).exists()
        for name, user in personas.items()
    }
    assert visible == {
        "commune_admin": True,
        "case_worker": True,
        "other_case_worker": False,
        "viewer": True,
        "outsider": False,
        "administrator": True,
    }
