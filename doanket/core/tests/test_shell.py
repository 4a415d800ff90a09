from django.conf import settings
from django.test import Client


def test_pages_are_vietnamese_even_for_an_english_browser(client: Client, db: None) -> None:
    response = client.get("/accounts/login/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.content.decode()


def test_english_is_one_click_away(client: Client, db: None) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/accounts/login/")
    assert '<html lang="en">' in page.content.decode()
    assert "Log in" in page.content.decode()


def test_static_assets_are_served_locally(client: Client, db: None) -> None:
    body = client.get("/accounts/login/").content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in body
    assert "https://" not in body.split("<body")[0]


def test_numbers_and_dates_use_vietnamese_conventions() -> None:
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    template = Template('{{ n }} {{ d|date:"SHORT_DATE_FORMAT" }}')
    with translation.override("vi"):
        assert template.render(Context({"n": 1234567, "d": datetime.date(2022, 2, 3)})) == "1.234.567 03/02/2022"
    with translation.override("en"):
        assert template.render(Context({"n": 1234567, "d": datetime.date(2022, 2, 3)})).endswith("03/02/2022")


def test_paging_links_keep_the_filters_and_replace_the_position() -> None:
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/accounts/audit/", {"action": "update", "q": "Lào Cai", "page": "3", "after": "1"})
    rendered = Template("{% load shell %}{% query_with page=4 %}").render(Context({"request": request}))
    assert rendered == "?action=update&amp;q=L%C3%A0o+Cai&amp;page=4"
