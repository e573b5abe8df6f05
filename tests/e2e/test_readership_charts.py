"""What readers read, in the browser (#38): the admin home's chart and top lists drawn in the
English and the Persian admin, on a desktop and on a phone, with screenshots; time runs from
right to left in Persian."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LIVE_DATABASE
from tests.helpers.browser import sign_in
from tests.helpers.readership import a_month_of_readers

pytestmark = [pytest.mark.e2e, pytest.mark.dates, LIVE_DATABASE]

# The first and last points of the first line, as drawn on screen (today is the last).
ENDS = """() => {
  const line = document.querySelector('#readership svg.chart polyline');
  const points = line.points;
  const box = line.ownerSVGElement.getBoundingClientRect();
  return {first: points[0].x, last: points[points.length - 1].x, width: box.width};
}"""


@pytest.mark.parametrize("code", ["en", "fa"])
@pytest.mark.parametrize(("device", "width"), [("desktop", 1280), ("phone", 390)])
def test_the_charts_are_drawn_in_the_admin_s_language_and_direction(
    page, live_server, persian_editor, article_factory, screenshot, code, device, width
):
    a_month_of_readers(article_factory(title_en="The river report", title_fa="گزارش رودخانه"))
    page.set_viewport_size({"width": width, "height": 900})
    prefix = "" if code == "en" else f"/{code}"
    sign_in(page, f"{live_server.url}{prefix}/admin/", "rtl" if code == "fa" else "ltr")
    chart = page.locator("#readership svg.chart")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] <= width  # it fits the screen
    expect(page.locator("#readership svg.chart polyline")).to_have_count(4)
    expect(page.locator("#readership .chart-bar").first).to_be_visible()
    screenshot(page, f"admin-{code}-readership-{device}")
    ends = page.evaluate(ENDS)
    if code == "fa":
        assert ends["first"] > ends["last"]  # today at the left
        expect(page.locator("#readership")).to_contain_text("۳۰")
    else:
        assert ends["first"] < ends["last"]
