def test_the_office_sees_the_home_page_in_chinese(signed_in, office):
    response = signed_in(office).get("/")
    assert response.status_code == 200
    assert "工作台" in response.content.decode()
