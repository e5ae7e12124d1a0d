"""The try-it page in a real browser: headless Chromium, driven by Selenium, against the service on loopback.

The browser is Debian's ``chromium`` with its ``chromedriver`` (``.ci/run``
installs them); nothing is downloaded. Without them the tests are skipped,
with the reason, except in CI (``CI`` set), where they fail. One browser and
one server serve the whole module.

Five worked examples from ``tests/data/worked_examples.toml`` (an emergency,
a pregnancy, a child, a medicine crampkit does not know, and one in the
United States) are typed into the form as a person would, and what the page
shows is checked against what :func:`crampkit.recommend` returns for the same
profile. With ``CRAMPKIT_SCREENSHOTS`` set to a folder, each example's page
is saved there at desktop (1280 pixels) and phone (390 pixels) width
(``nox -s screenshots`` makes those of docs/_static/try/).
"""

import json
import os
import shutil
import tomllib
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import crampkit
from crampkit.server import create_app
from crampkit.text.escape import https_link, plain
from servekit import AUTH, serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
_MISSING = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).exists()]
try:
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver import Chrome as WebDriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.webelement import WebElement
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.wait import WebDriverWait
except ImportError:  # pragma: no cover - the test extra installs selenium
    _MISSING.append("the selenium package (the test extra)")

if _MISSING:  # pragma: no cover - CI and the developers' machines have them
    reason = f"the browser tests need {', '.join(_MISSING)} (apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        pytest.fail(f"in CI, {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)

KB = crampkit.default_knowledge_base()
CASES = {
    case["name"]: case
    for case in tomllib.loads((Path(__file__).parent / "data" / "worked_examples.toml").read_text())["case"]
}
EXAMPLES = {
    "emergency": "swollen calf and breathlessness (possible clot in the lung)",
    "pregnancy": "pregnancy with night cramps",
    "child": "a 9-year-old with frequent night cramps",
    "unrecognised-medicine": "an unknown medicine",
    "us-region": "blind: us-heatstroke-confused-outdoor-worker",
}
"""The five examples of issue 23, by the file name of their screenshots: worked examples, by name."""
WAIT = 30
"""Seconds to wait for a page (the machine may be busy with other tests)."""
DESKTOP = (1280, 900)
PHONE = (390, 844)
SCREENSHOTS = os.environ.get("CRAMPKIT_SCREENSHOTS")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """The service with the page on (authentication on for the CDS Hooks endpoints, as deployed)."""
    yield from serving(create_app(auth=AUTH, try_page=True))


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """One headless Chromium for the module, with a fresh profile, logging the console."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    options.add_argument("--window-size=1280,1200")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def open_page(driver: WebDriver, url: str) -> None:
    driver.get(url)
    WebDriverWait(driver, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")


def control(driver: WebDriver, name: str) -> WebElement:
    return driver.find_element(By.CSS_SELECTOR, f'#profile-form [name="{name}"]')


def fill(driver: WebDriver, profile: dict[str, Any], prefix: str = "") -> None:
    """Type ``profile`` (its JSON) into the form as a person would: boxes ticked, choices chosen, numbers typed."""
    first = ("age", "sex", "pregnant")  # the fields that show others come first
    for key in sorted(profile, key=lambda key: (key not in first, first.index(key) if key in first else 0)):
        value, name = profile[key], prefix + key
        if isinstance(value, dict):
            fill(driver, value, f"{name}.")
        elif isinstance(value, list) and name == "medications":
            control(driver, name).send_keys("\n".join(value))
        elif isinstance(value, list):
            for item in value:
                driver.find_element(By.CSS_SELECTOR, f'#profile-form [name="{name}"][value="{item}"]').click()
        elif isinstance(value, bool):
            Select(control(driver, name)).select_by_value("true" if value else "false")
        elif isinstance(value, str):
            Select(control(driver, name)).select_by_value(value)
        else:
            control(driver, name).send_keys(str(value))


def new_page(driver: WebDriver, action: Callable[[], object]) -> None:
    """Do ``action``, then wait until the page it loads is there (the old one marked, so it is never taken for it)."""
    driver.execute_script("document.documentElement.dataset.old = 'yes'")
    action()
    WebDriverWait(driver, WAIT, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script(
            "return document.readyState === 'complete' && document.documentElement.dataset.old === undefined"
        )
    )


def submit(driver: WebDriver) -> None:
    new_page(driver, driver.find_element(By.CSS_SELECTOR, "#profile-form button[type=submit]").click)


def links(element: WebElement) -> list[str | None]:
    return [link.get_dom_attribute("href") for link in element.find_elements(By.CSS_SELECTOR, ".sources a")]


def https_sources(ids: tuple[str, ...]) -> list[str]:
    found = []
    for source_id in dict.fromkeys(ids):
        source = KB.get(source_id)
        assert isinstance(source, crampkit.Source)
        link = https_link(source.url)
        if link:
            found.append(link)
    return found


def check_guidance(driver: WebDriver, guidance: crampkit.Guidance) -> None:
    """The page shows ``guidance``: its triage (an alert when urgent), first recommendation and sources."""
    triage = driver.find_element(By.ID, "triage")
    assert f"Triage: {guidance.triage.value.upper()}" in triage.text
    role = driver.find_element(By.CLASS_NAME, "triage-box").get_dom_attribute("role")
    assert role == ("alert" if guidance.triage.is_urgent else None)
    if guidance.action:
        assert plain(guidance.action) in driver.find_element(By.CLASS_NAME, "action").text
    flags = driver.find_elements(By.CSS_SELECTOR, "li.red-flag")
    assert [flag.find_element(By.TAG_NAME, "h4").text for flag in flags] == [
        f"[{flag.urgency.value}] {plain(flag.name)}" for flag in guidance.red_flags
    ]
    for shown, flag in zip(flags, guidance.red_flags, strict=True):
        assert links(shown) == https_sources(flag.sources)
    ranked = driver.find_elements(By.CSS_SELECTOR, "li.recommendation")
    assert len(ranked) == len(guidance.recommendations)
    if guidance.recommendations:
        first = guidance.recommendations[0]
        assert ranked[0].find_element(By.TAG_NAME, "h4").text == plain(first.name)
        assert first.certainty.value in ranked[0].find_element(By.CLASS_NAME, "certainty").text
        assert links(ranked[0]) == https_sources(first.sources)
    unrecognised = [item.text for item in driver.find_elements(By.CSS_SELECTOR, ".unrecognised li")]
    assert unrecognised == [plain(name) for name in guidance.unrecognized_medications]
    assert guidance.disclaimer in driver.find_element(By.CLASS_NAME, "disclaimer").text
    version = driver.find_element(By.CLASS_NAME, "knowledge-base-version").text
    assert version == f"(knowledge base {guidance.knowledge_base_version})"


def viewport(driver: WebDriver, width: int, height: int) -> None:
    """Lay the page out at ``width`` by ``height`` pixels (as a phone does, under 500 wide), by Chromium's emulation."""
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def fits(driver: WebDriver, width: int, height: int) -> bool:
    """Whether the page is readable at ``width``: laid out at that size, nothing is wider than the screen."""
    viewport(driver, width, height)
    inner, scroll = driver.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]")
    return bool(inner == width and scroll <= width)


def screenshot(driver: WebDriver, name: str) -> None:
    """With ``CRAMPKIT_SCREENSHOTS`` set, the page at desktop width from its top, and at phone width from the triage."""
    if SCREENSHOTS is None:
        return
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for size, (width, height), start in (("desktop", DESKTOP, "window.scrollTo(0, 0)"), ("phone", PHONE, "")):
        viewport(driver, width, height)
        driver.execute_script(start or "document.getElementById('guidance').scrollIntoView()")
        driver.save_screenshot(str(folder / f"{name}-{size}.png"))
    viewport(driver, *DESKTOP)


def console_errors(driver: WebDriver) -> list[str]:
    """The console's errors since the last call (a broken script, a breach of the content security policy)."""
    entries: list[dict[str, str]] = driver.get_log("browser")  # type: ignore[no-untyped-call]  # selenium's own
    return [
        entry["message"]
        for entry in entries
        if entry["level"] == "SEVERE" and "/favicon.ico - " not in entry["message"]  # the page has no icon
    ]


@pytest.mark.parametrize("example", EXAMPLES)
def test_a_worked_example_typed_into_the_form(browser: WebDriver, base_url: str, example: str) -> None:
    case = CASES[EXAMPLES[example]]
    region = case.get("region", "uk")
    open_page(browser, f"{base_url}/try")
    weeks = control(browser, "pregnancy_weeks")
    assert not weeks.is_displayed()  # shown only once "pregnant" is yes
    Select(control(browser, "region")).select_by_value(region)
    fill(browser, case["profile"])
    if example == "pregnancy":
        assert weeks.is_displayed()
    if example == "child":  # 9: too young to be asked about pregnancy, too old to be asked the months
        assert not control(browser, "pregnant").is_displayed()
        assert not control(browser, "age_months").is_displayed()
    submit(browser)
    guidance = crampkit.recommend(crampkit.load_profile(case["profile"]), region=region)
    check_guidance(browser, guidance)
    assert json.loads(browser.find_element(By.ID, "profile-json").get_attribute("textContent") or "") == (
        crampkit.unstructure(crampkit.load_profile(case["profile"]))
    )
    if region == "us":
        text = browser.find_element(By.ID, "guidance").text
        assert "911" in text
        assert "999" not in text
    assert fits(browser, *PHONE)
    assert fits(browser, *DESKTOP)
    screenshot(browser, example)
    assert console_errors(browser) == []


def test_a_profile_link_shows_its_guidance_and_the_link_to_the_case_round_trips(
    browser: WebDriver, base_url: str
) -> None:
    case = CASES[EXAMPLES["pregnancy"]]
    guidance = crampkit.recommend(crampkit.load_profile(case["profile"]))
    open_page(browser, f"{base_url}/try?profile={urllib.parse.quote(json.dumps(case['profile']))}")
    check_guidance(browser, guidance)
    assert control(browser, "pregnancy_weeks").is_displayed()  # pregnant: the weeks apply (not given)
    assert control(browser, "pregnant").get_attribute("value") == "true"  # the form holds the case
    new_page(browser, browser.find_element(By.ID, "case-link").click)
    assert "/try?profile=" in browser.current_url
    check_guidance(browser, guidance)
    open_page(browser, f"{base_url}/try?example=1")
    check_guidance(browser, crampkit.recommend(crampkit.example_profile()))
    assert console_errors(browser) == []


def test_markup_typed_as_a_medicine_is_shown_as_text(browser: WebDriver, base_url: str) -> None:
    typed = "<img src=x onerror=\"document.title='owned'\"><b>bold</b>"
    open_page(browser, f"{base_url}/try")
    control(browser, "medications").send_keys(typed)
    submit(browser)
    assert [item.text for item in browser.find_elements(By.CSS_SELECTOR, ".unrecognised li")] == [typed]
    assert browser.find_elements(By.CSS_SELECTOR, "img, #guidance b") == []
    assert browser.title == "Try crampkit"
    assert typed in (control(browser, "medications").get_attribute("value") or "")
    assert console_errors(browser) == []  # no image was even tried


def test_bad_input_lists_its_problems_and_links_each_to_its_field(browser: WebDriver, base_url: str) -> None:
    bad = json.dumps({"age": 200, "pregnant": "no"})
    open_page(browser, f"{base_url}/try?profile={urllib.parse.quote(bad)}")
    problems = browser.find_element(By.ID, "problems")
    assert problems.get_dom_attribute("role") == "alert"
    assert "age: must be between 0 and 120, got 200" in problems.text
    assert "pregnant: expected true or false, got a string" in problems.text
    problems.find_element(By.LINK_TEXT, "age").click()
    assert browser.switch_to.active_element.get_dom_attribute("name") == "age"
    assert browser.find_elements(By.ID, "guidance") == []


def test_keyboard_only_every_control_labelled_and_reachable(browser: WebDriver, base_url: str) -> None:
    open_page(browser, f"{base_url}/try")
    unlabelled = browser.execute_script(
        "return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))"
        ".filter(control => control.labels.length === 0).map(control => control.name)"
    )
    assert unlabelled == []
    key = (  # how a control is named below: its name (and a box's value), or a button's words
        "const key = control => control.name ? control.name + (control.type === 'checkbox' ? '=' + control.value : '')"
        " : control.textContent;"
    )
    browser.execute_script(  # every element the keyboard reaches, as it reaches it
        key
        + "window.reached = []; document.addEventListener('focusin', event => window.reached.push(key(event.target)))"
    )
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    assert browser.switch_to.active_element.text == "Skip to the profile form"
    browser.switch_to.active_element.send_keys(Keys.ENTER)  # the skip link: the next Tab is in the form
    ActionChains(browser).send_keys(Keys.TAB * 260).perform()
    reached = browser.execute_script("return window.reached")
    assert reached[:2] == ["Skip to the profile form", "region"]
    shown = browser.execute_script(
        key + "return Array.from(document.querySelectorAll('#profile-form [name], #json-form textarea, form button'))"
        ".filter(control => control.offsetParent !== null).map(key)"
    )
    assert len(shown) > 100
    assert set(shown) <= set(reached)
    new_page(browser, lambda: control(browser, "age").send_keys("67", Keys.ENTER))  # Enter submits the form
    assert "Triage: SELF-CARE" in browser.find_element(By.ID, "triage").text


def test_the_json_can_be_copied(browser: WebDriver, base_url: str) -> None:
    open_page(browser, f"{base_url}/try?example=1")
    browser.find_element(By.CSS_SELECTOR, "details.json summary").click()
    button = browser.find_element(By.CSS_SELECTOR, "button[data-copy=profile-json]")
    assert button.is_displayed()  # the script shows it
    button.click()
    status = browser.find_element(By.CSS_SELECTOR, "button[data-copy=profile-json] + .copy-status")
    WebDriverWait(browser, WAIT).until(lambda _: status.text)
    assert status.text in {"Copied.", "Selected: press Ctrl+C (or Cmd+C) to copy."}
    copied = browser.execute_script("return window.getSelection().toString()") or ""
    assert status.text == "Copied." or json.loads(copied) == crampkit.unstructure(crampkit.example_profile())


def test_chromium_dump_dom_shows_the_triage_and_first_recommendation(base_url: str, tmp_path: Path) -> None:
    """As ``chromium --headless --dump-dom`` shows it: the guidance is in the page as sent, no script needed."""
    import subprocess  # noqa: PLC0415 - only here

    case = CASES[EXAMPLES["child"]]
    url = f"{base_url}/try?profile={urllib.parse.quote(json.dumps(case['profile']))}"
    flags = (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path}", "--dump-dom")
    dom = subprocess.run([CHROMIUM, *flags, url], capture_output=True, text=True, timeout=60, check=True).stdout  # noqa: S603
    guidance = crampkit.recommend(crampkit.load_profile(case["profile"]))
    assert f'Triage: <span class="triage-word">{guidance.triage.value.upper()}</span>' in dom
    assert f"<h4>{guidance.recommendations[0].name}</h4>" in dom
