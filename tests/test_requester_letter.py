"""The application letter helper in headless Chromium: a complete printable application."""

from __future__ import annotations

from pathlib import Path

import pytest
from requester_helpers import fixture_corpus, serve, write_site

SHOTS = Path("/tmp/shots")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    corpus = fixture_corpus()
    out = tmp_path_factory.mktemp("letter-site")
    write_site(corpus, out)
    with serve(out) as base:
        yield base, corpus


def answers(labels: list[str]) -> dict[str, str]:
    sample = {
        "姓名": "张三",
        "工作单位": "聊城大学",
        "证件名称": "居民身份证",
        "证件号码": "371502199001011234",
        "通信地址": "聊城市东昌府区花园北路1号",
        "联系电话": "13800000000",
        "邮政编码": "252000",
        "电子邮箱": "zhangsan@example.com",
        "所需信息内容描述": "2023年聊城市二级以上医院门诊次均费用统计表",
        "所需信息的用途": "学术研究",
        "信息的指定提供方式": "电子邮件",
        "获取信息方式": "电子邮件",
    }
    return {label: sample.get(label, f"{label}的内容") for label in labels}


@pytest.mark.browser
def test_letter_prints_a_complete_application(browser, site):
    base, corpus = site
    guide = corpus.guides["371500-wjw"]
    post = next(c for c in guide.channels if c.type == "post")
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 900, "height": 1400})
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + "agencies/371500-wjw/apply/")
    page.wait_for_selector("#gk-letter-print h1")
    loaded = list(requests)
    values = answers(list(guide.form.fields))
    for i, label in enumerate(guide.form.fields):
        page.fill(f"#gk-f{i}", values[label])
    page.check("input[name=gk-channel][value='0']")  # 信函（邮寄）, listed first
    page.emulate_media(media="print")
    letter = page.locator("#gk-letter-print")
    printed = letter.inner_text()
    assert letter.is_visible()
    for label, value in values.items():
        assert label in printed and value in printed
    assert corpus.agencies["371500-wjw"].name in printed
    assert post.address in printed and post.postcode in printed
    assert "信封左下角注明" in printed  # the channel's notes
    assert "第二十九条" in printed and "签名" in printed
    # print CSS: the form and the text box are not printed
    assert not page.locator(".gk-letter-form").is_visible()
    text = page.locator("#gk-letter-text").input_value()
    assert all(value in text for value in values.values()) and post.address in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "letter.png"), full_page=True)
    # nothing left the browser: no request after the page and its own assets loaded
    assert requests == loaded
    assert all(u.startswith(base) for u in requests)
    storage = page.evaluate("[localStorage.length, sessionStorage.length, document.cookie]")
    assert storage == [0, 0, ""]
    page.close()


@pytest.mark.browser
def test_letter_for_an_agency_without_guide(browser, site):
    base, _ = site
    page = browser.new_page()
    page.goto(base + "agencies/110000-wjw/apply/")
    page.wait_for_selector("#gk-letter-print h1")
    page.fill("#gk-f0", "李四")
    printed = page.locator("#gk-letter-print").inner_text()
    assert "北京市卫生健康委员会" in printed and "北京市通州区紫运西路1号" in printed
    assert "李四" in printed
    page.close()
