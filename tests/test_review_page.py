"""The clinical review page (issue 14, `l10n review LANG`): a local Flask application. Driven with Flask's
test client (token, CSRF, decisions written to real catalogs, 409 on a concurrent edit, escaping), through
the real command in a subprocess, and end to end in Debian's headless Chromium."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import polib
import pytest
from lxml import html

from pipeline.po.files import read_po, write_po
from pipeline.po.model import Entry
from pipeline.po.review import ReviewState, records, review_state

from .conftest import TEST_OUTPUT, run_msgfmt_check
from .helpers import copy_project, run_cli

TOKEN = "test-token-3f9a1c2e"
REVIEWER = "Dr. Kim Min-ji"
SLUG = "ferritin-levels"
CATALOG = f"locales/ko/{SLUG}.po"
SCRIPT = "<script>window.__pwned=1</script>"
IMAGE = '<img src="x" onerror="window.__pwned=2">'


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    root = tmp_path / "p"
    root.mkdir()
    return copy_project(root)


def make_client(project: Path, reviewer: str | None = REVIEWER, *, articles: list[str] | None = None,
                login: bool = True):
    from pipeline.reviewapp import create_app
    from pipeline.workflow import open_project

    app = create_app(open_project(project / "l10n.yaml"), "ko", articles, reviewer, TOKEN)
    client = app.test_client()
    if login:
        response = client.get(f"/?token={TOKEN}")
        assert response.status_code == 303 and response.headers["Location"] == "/"
    return client


@pytest.fixture
def client(project):
    return make_client(project)


def page(client, slug: str = SLUG):
    response = client.get(f"/article/{slug}")
    assert response.status_code == 200, response.data[:500]
    return html.fromstring(response.data)


def form_fields(root, number: int, verdict: str) -> dict[str, str]:
    """The hidden fields of a unit's form, as the page rendered them (what a browser would send)."""
    (form,) = root.xpath(f'//section[@id="u{number}"]//form[input[@name="verdict"][@value="{verdict}"]]')
    return {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}


def unit_number(root, msgid: str) -> int:
    for section in root.xpath("//section[@data-number]"):
        if section.xpath('string(.//p[@data-role="english"])') == msgid:
            return int(section.get("data-number"))
    raise AssertionError(f"no unit {msgid!r}")


def entry(project: Path, msgid: str) -> Entry:
    found = read_po(project / CATALOG).find(msgid)
    assert found is not None
    return found


def set_translation(project: Path, msgid: str, msgstr: str) -> None:
    po = polib.pofile(str(project / CATALOG))
    po.find(msgid).msgstr = msgstr
    po.save()


# -- the token: nothing without it ------------------------------------------------------------------------

def test_every_request_without_the_token_is_refused(project):
    client = make_client(project, login=False)
    for path in ("/", f"/article/{SLUG}", f"/article/{SLUG}/page/source", "/assets/review.js", "/nowhere",
                 "/?token=wrong"):
        assert client.get(path).status_code == 403, path
    assert client.get("/", headers={"X-Review-Token": TOKEN}).status_code == 200
    response = client.get(f"/?token={TOKEN}")
    cookie = response.headers["Set-Cookie"]
    assert response.status_code == 303 and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/").status_code == 200               # the cookie, from now on
    # the application's own routes, and no other (no static folder)
    from pipeline.reviewapp import create_app
    from pipeline.workflow import open_project
    rules = {r.rule for r in create_app(open_project(project / "l10n.yaml"), "ko", None, None, TOKEN).url_map.iter_rules()}
    assert rules == {"/", "/assets/<name>", "/article/<slug>", "/article/<slug>/page/<kind>", "/reviewer",
                     "/article/<slug>/unit", "/article/<slug>/approve-clean"}


def test_the_address_opens_the_page_once(client):
    """The printed address is a one-time link: the browser that used it keeps its cookie (and may open the
    address again), a second browser given the same address is refused, with what to do."""
    assert client.get(f"/?token={TOKEN}").status_code == 303        # the same browser, again: fine
    assert client.get("/").status_code == 200
    other = client.application.test_client()                         # another browser, no cookie
    refused = other.get(f"/?token={TOKEN}")
    assert refused.status_code == 403
    assert "used already" in refused.get_data(as_text=True) and "start it again" in refused.get_data(as_text=True)
    assert other.get("/").status_code == 403


def test_a_post_without_the_token_is_refused_even_with_the_cookie(client, project):
    fields = form_fields(page(client), 1, "approve")
    before = (project / CATALOG).read_bytes()
    without = {k: v for k, v in fields.items() if k != "token"}
    assert client.post(f"/article/{SLUG}/unit", data=without).status_code == 403
    assert client.post(f"/article/{SLUG}/unit", data={**fields, "token": "wrong"}).status_code == 403
    assert client.post(f"/article/{SLUG}/approve-clean", data={"hash": fields["hash"]}).status_code == 403
    cross = client.post(f"/article/{SLUG}/unit", data=fields, headers={"Origin": "http://evil.example"})
    assert cross.status_code == 403
    assert (project / CATALOG).read_bytes() == before


def test_another_host_name_is_refused(client):
    assert client.get("/", headers={"Host": "rebound.example:5000"}).status_code == 403


# -- decisions --------------------------------------------------------------------------------------------

@pytest.mark.gettext
def test_approve_writes_a_record_that_review_state_reads_as_approved(client, project, msgfmt):
    root = page(client)
    number = unit_number(root, "Key Takeaway")
    response = client.post(f"/article/{SLUG}/unit", data=form_fields(root, number, "approve"))
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"/article/{SLUG}?done=approved&unit={number}#u")
    approved = entry(project, "Key Takeaway")
    assert review_state(approved) is ReviewState.APPROVED
    (record,) = records(approved)
    assert (record.verdict, record.reviewer, record.date) == ("approved", REVIEWER, "2026-01-01")
    others = [review_state(e) for e in read_po(project / CATALOG) if e.msgid != "Key Takeaway"]
    assert set(others) == {ReviewState.UNREVIEWED}
    assert run_msgfmt_check(msgfmt, project / CATALOG).returncode == 0
    after = html.fromstring(client.get(response.headers["Location"]).data)
    assert after.xpath(f'string(//section[@id="u{number}"]/@data-state)') == "approved"
    assert after.xpath(f'//section[@id="u{number}"]//button[@data-action="approve"]') == []
    assert f"Unit {number} approved." in after.xpath('string(//*[@id="notice"])')


def test_approving_the_disclaimer_on_the_page_approves_it_in_every_article(client, project):
    root = page(client)
    disclaimer = next(e.msgid for e in polib.pofile(str(project / CATALOG)) if "disclaimer" in e.comment)
    number = unit_number(root, disclaimer)
    assert client.post(f"/article/{SLUG}/unit", data=form_fields(root, number, "approve")).status_code == 303
    other = read_po(project / "locales/ko/vitamin-d-bone-health.po").find(disclaimer)
    assert review_state(other) is ReviewState.APPROVED and records(other)[-1].reviewer == REVIEWER


def test_a_translator_cannot_approve_their_own_unit_on_the_page(project):
    from pipeline.po.review import record_translator

    po = read_po(project / CATALOG)
    record_translator(po.find("Key Takeaway"), name=REVIEWER, date="2026-01-01")
    write_po(project / CATALOG, po)
    client = make_client(project)
    root = page(client)
    response = client.post(f"/article/{SLUG}/unit", data=form_fields(root, unit_number(root, "Key Takeaway"),
                                                                     "approve"))
    assert response.status_code == 400
    assert "another reviewer must approve it" in html.fromstring(response.data).xpath('string(//*[@id="notice"])')
    assert review_state(entry(project, "Key Takeaway")) is ReviewState.UNREVIEWED


@pytest.mark.gettext
def test_reject_needs_reason_category_and_severity_and_makes_the_entry_fuzzy(client, project, msgfmt):
    root = page(client)
    number = unit_number(root, "Key Takeaway")
    fields = form_fields(root, number, "reject")
    complete = {**fields, "reason": "use 요점", "category": "terminology", "severity": "minor"}
    before = (project / CATALOG).read_bytes()
    for missing in ("reason", "category", "severity"):
        response = client.post(f"/article/{SLUG}/unit", data={**complete, missing: ""})
        assert response.status_code == 400, missing
        assert "not written" in html.fromstring(response.data).xpath('string(//*[@id="notice"])')
    bad = client.post(f"/article/{SLUG}/unit", data={**complete, "category": "vibes"})
    assert bad.status_code == 400
    assert (project / CATALOG).read_bytes() == before
    assert client.post(f"/article/{SLUG}/unit", data=complete).status_code == 303
    rejected = entry(project, "Key Takeaway")
    assert "fuzzy" in rejected.flags and review_state(rejected) is ReviewState.REJECTED
    (record,) = records(rejected)
    assert (record.category, record.severity, record.reason) == ("terminology", "minor", "use 요점")
    assert run_msgfmt_check(msgfmt, project / CATALOG).returncode == 0
    section = page(client).xpath(f'//section[@id="u{number}"]')[0]
    assert section.get("data-state") == "rejected" and section.xpath(".//form") == []
    assert "rejected by Dr. Kim Min-ji on 2026-01-01: terminology/minor: use 요점" in section.text_content()


def test_a_concurrent_edit_gives_409_and_nothing_is_written(client, project):
    root = page(client)
    number = unit_number(root, "Key Takeaway")
    fields = form_fields(root, number, "approve")
    set_translation(project, "Key Takeaway", "핵심 정리")          # a translator's editor saves meanwhile
    edited = (project / CATALOG).read_bytes()
    response = client.post(f"/article/{SLUG}/unit", data=fields)
    assert response.status_code == 409
    fresh = html.fromstring(response.data)
    assert fresh.xpath('string(//*[@id="notice"])') == "the catalog changed since you opened it; reloaded"
    assert fresh.xpath(f'string(//section[@id="u{number}"]//p[@data-role="translation"])') == "핵심 정리"
    assert (project / CATALOG).read_bytes() == edited
    clean = {"token": fields["token"], "hash": fields["hash"]}
    assert client.post(f"/article/{SLUG}/approve-clean", data=clean).status_code == 409
    assert (project / CATALOG).read_bytes() == edited
    # the reloaded page carries the new hash: deciding from it works
    assert client.post(f"/article/{SLUG}/unit", data=form_fields(fresh, number, "approve")).status_code == 303
    assert review_state(entry(project, "Key Takeaway")) is ReviewState.APPROVED


def test_a_decision_while_another_run_holds_the_lock_answers_503_and_writes_nothing(project):
    """A sync (another process) holds the project lock: the decision waits --lock-timeout, then the page
    says it was not written; once the lock is free the same form is accepted."""
    from pipeline.reviewapp import create_app
    from pipeline.workflow import open_project

    app = create_app(open_project(project / "l10n.yaml"), "ko", None, REVIEWER, TOKEN, lock_timeout=0.3)
    client = app.test_client()
    assert client.get(f"/?token={TOKEN}").status_code == 303
    root = page(client)
    fields = form_fields(root, unit_number(root, "Key Takeaway"), "approve")
    before = (project / CATALOG).read_bytes()
    lock = project / ".l10n-cache" / "sync.lock"
    lock.parent.mkdir(exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time, filelock; l = filelock.FileLock(sys.argv[1]); l.acquire(); "
         "print('held', flush=True); time.sleep(60)", str(lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        refused = client.post(f"/article/{SLUG}/unit", data=fields)
        assert refused.status_code == 503
        assert "not written" in refused.get_data(as_text=True) and "project lock" in refused.get_data(as_text=True)
        assert (project / CATALOG).read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    assert client.post(f"/article/{SLUG}/unit", data=fields).status_code == 303
    assert review_state(entry(project, "Key Takeaway")) is ReviewState.APPROVED


def test_approve_every_remaining_clean_unit_leaves_what_the_build_would_hold_back(client, project):
    catalog = project / CATALOG
    catalog.write_text(catalog.read_text("utf-8").replace("약 18 mg", "약 180 mg"), encoding="utf-8")
    root = page(client)
    held = [s for s in root.xpath("//section[@data-number]") if "18 mg" in s.xpath('string(.//p[@data-role="english"])')]
    assert len(held) == 1
    assert held[0].xpath('.//button[@data-action="approve"]') == []      # not approvable as it is
    assert "numbers" in held[0].xpath('string(.//ul[@data-role="findings"])')
    (button,) = root.xpath('//form[@id="approve-clean"]/button')
    assert button.text_content().strip() == "Approve every remaining clean unit (52)"
    fields = {i.get("name"): i.get("value") for i in root.xpath('//form[@id="approve-clean"]/input')}
    response = client.post(f"/article/{SLUG}/approve-clean", data=fields)
    assert response.status_code == 303
    states = [review_state(e) for e in read_po(catalog) if not e.obsolete]
    assert states.count(ReviewState.APPROVED) == 52 and states.count(ReviewState.UNREVIEWED) == 1
    after = html.fromstring(client.get(response.headers["Location"]).data)
    assert "52 clean unit(s) approved; 1 held back" in after.xpath('string(//*[@id="notice"])')


def test_the_reviewer_names_themselves_on_the_page_when_not_given(project):
    client = make_client(project, reviewer=None)
    root = page(client)
    assert root.xpath('//button[@data-action="approve"][not(@disabled)]') == []
    fields = form_fields(root, 1, "approve")
    refused = client.post(f"/article/{SLUG}/unit", data=fields)
    assert refused.status_code == 400 and records(entry(project, "Key Takeaway")) == []
    bad = client.post("/reviewer", data={"token": TOKEN, "name": "Kim on call", "back": SLUG})
    assert bad.status_code == 400
    assert "without the word 'on'" in html.fromstring(bad.data).xpath('string(//*[@id="notice"])')
    assert client.post("/reviewer", data={"name": "Lee Ji-woo", "back": SLUG}).status_code == 403
    assert client.post("/reviewer", data={"token": TOKEN, "name": "  Lee   Ji-woo ", "back": SLUG}).status_code == 303
    root = page(client)
    assert root.xpath('string(//*[@id="reviewer-name"])') == "Lee Ji-woo"
    number = unit_number(root, "Key Takeaway")
    assert client.post(f"/article/{SLUG}/unit", data=form_fields(root, number, "approve")).status_code == 303
    assert records(entry(project, "Key Takeaway"))[0].reviewer == "Lee Ji-woo"


def test_what_changed_in_the_english_is_a_word_diff_and_a_stale_unit_says_why(client, project):
    source = project / "source_articles" / f"{SLUG}.html"
    old = "Ferritin acts like a storage box for iron inside the body."
    text = source.read_text("utf-8")
    assert old in text
    root = page(client)
    number = unit_number(root, "Key Takeaway")
    assert client.post(f"/article/{SLUG}/unit", data=form_fields(root, number, "approve")).status_code == 303
    set_translation(project, "Key Takeaway", "핵심 정리")
    source.write_text(text.replace(old, "Ferritin acts like a storage tank for iron inside the body."), "utf-8")
    assert run_cli(project, "update").exit_code == 0
    root = page(client)
    stale = root.xpath(f'//section[@id="u{number}"]')[0]
    assert stale.get("data-state") == "stale"
    assert "The translation has changed since it was approved by Dr. Kim Min-ji on 2026-01-01." in \
        stale.xpath('string(.//span[@class="why"])')
    changed = [s for s in root.xpath("//section[@data-number]") if s.xpath('.//p[@data-role="diff"]')]
    assert len(changed) == 1
    diff = changed[0].xpath('.//p[@data-role="diff"]')[0]
    assert [d.text for d in diff.xpath("del")] == ["box"] and [i.text for i in diff.xpath("ins")] == ["tank"]


def test_a_unit_a_vendor_translated_again_says_which_approval_it_lost(client, project, tmp_path):
    root = page(client)
    number = unit_number(root, "Key Takeaway")
    assert client.post(f"/article/{SLUG}/unit", data=form_fields(root, number, "approve")).status_code == 303
    delivery = tmp_path / "delivery.po"
    assert run_cli(project, "export", "ko", "-o", str(delivery)).exit_code == 0
    po = polib.pofile(str(delivery))
    po.find("Key Takeaway").msgstr = "핵심 정리"
    po.save()
    imported = run_cli(project, "import", "ko", str(delivery), "--overwrite", "--translator", "Vendor Lee")
    assert imported.exit_code == 0, imported.output
    stale = page(client).xpath(f'//section[@id="u{number}"]')[0]
    assert stale.get("data-state") == "stale"
    text = " ".join(stale.text_content().split())
    why = stale.xpath('string(.//span[@class="why"])')
    assert why == "The translation has changed since it was approved by Dr. Kim Min-ji on 2026-01-01.", text
    assert "translated by Vendor Lee" not in why


def test_after_a_vendor_translates_new_english_the_page_still_shows_what_changed(client, project, tmp_path):
    """The English of an approved unit changes, a vendor translates the new text: the import keeps the
    catalog's ``#| msgid``, so the stale unit says both texts changed since its approval and shows the word
    diff of the English the approval was for."""
    source = project / "source_articles" / f"{SLUG}.html"
    old = "Ferritin acts like a storage box for iron inside the body."
    text = source.read_text("utf-8")
    root = page(client)
    number = unit_number(root, old)
    assert client.post(f"/article/{SLUG}/unit", data=form_fields(root, number, "approve")).status_code == 303
    new = old.replace("box", "tank")
    source.write_text(text.replace(old, new), "utf-8")
    assert run_cli(project, "update").exit_code == 0
    delivery = tmp_path / "delivery.po"
    assert run_cli(project, "export", "ko", "-o", str(delivery)).exit_code == 0
    po = polib.pofile(str(delivery))
    delivered = po.find(new)
    delivered.msgstr = "페리틴은 몸 안에서 철분을 저장하는 탱크와 같습니다."
    delivered.flags = [f for f in delivered.flags if f != "fuzzy"]
    po.save()
    imported = run_cli(project, "import", "ko", str(delivery), "--translator", "Vendor Lee")
    assert imported.exit_code == 0, imported.output
    assert entry(project, new).previous_msgid == old
    root = page(client)
    unit = next(s for s in root.xpath("//section[@data-number]")
                if s.xpath('string(.//p[@data-role="english"])') == new)
    assert unit.get("data-state") == "stale"
    assert unit.xpath('string(.//span[@class="why"])') == (
        "The English and the translation have changed since it was approved by Dr. Kim Min-ji on 2026-01-01.")
    (diff,) = unit.xpath('.//p[@data-role="diff"]')
    assert [d.text for d in diff.xpath("del")] == ["box"] and [i.text for i in diff.xpath("ins")] == ["tank"]
    # once approved again, the change has been read: the catalog drops the old English
    assert client.post(f"/article/{SLUG}/unit",
                       data=form_fields(root, int(unit.get("data-number")), "approve")).status_code == 303
    assert entry(project, new).previous_msgid is None


def test_the_catalogs_last_translator_cannot_approve_on_the_page(project):
    """No record says who translated the unit: the catalog's Last-Translator did, so the page refuses their
    approval; another reviewer's approval first records them as translator."""
    po = read_po(project / CATALOG)
    po.metadata["Last-Translator"] = "Choi Min <choi@example.org>"
    write_po(project / CATALOG, po)
    own = make_client(project, "choi min")
    root = page(own)
    before = (project / CATALOG).read_bytes()
    refused = own.post(f"/article/{SLUG}/unit", data=form_fields(root, unit_number(root, "Key Takeaway"), "approve"))
    assert refused.status_code == 400
    notice = html.fromstring(refused.data).xpath('string(//*[@id="notice"])')
    assert "choi min translated this unit: another reviewer must approve it" in notice
    assert (project / CATALOG).read_bytes() == before
    clean = form_fields(root, 1, "approve")
    refused = own.post(f"/article/{SLUG}/approve-clean", data={"token": clean["token"], "hash": clean["hash"]})
    assert refused.status_code == 303 and (project / CATALOG).read_bytes() == before   # nothing of theirs
    other = make_client(project)
    root = page(other)
    assert other.post(f"/article/{SLUG}/unit",
                      data=form_fields(root, unit_number(root, "Key Takeaway"), "approve")).status_code == 303
    assert [(r.verdict, r.reviewer) for r in records(entry(project, "Key Takeaway"))] == [
        ("translated", "Choi Min"), ("approved", REVIEWER)]
    assert review_state(entry(project, "Key Takeaway")) is ReviewState.APPROVED


def test_catalog_text_is_escaped_never_markup(client, project):
    set_translation(project, "Key Takeaway", SCRIPT)
    set_translation(project, "Bottom Line", IMAGE)
    response = client.get(f"/article/{SLUG}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert SCRIPT not in body and "<img" not in body
    root = html.fromstring(response.data)
    assert [s.get("src") for s in root.xpath("//script")] == ["/assets/review.js"]     # ours only, no inline
    assert root.xpath("//img") == []
    shown = {s.xpath('string(.//p[@data-role="translation"])') for s in root.xpath("//section[@data-number]")}
    assert {SCRIPT, IMAGE} <= shown
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    framed = client.get(f"/article/{SLUG}/page/translation")
    assert framed.headers["Content-Security-Policy"].startswith("sandbox;")
    assert root.xpath("//iframe/@sandbox") == ["", ""]


def test_no_template_marks_text_safe():
    folder = Path(__file__).resolve().parent.parent / "pipeline" / "reviewapp" / "templates"
    for template in folder.glob("*.html"):
        text = template.read_text("utf-8")
        assert "|safe" not in text.replace(" ", "") and "autoescape" not in text, template.name


def test_only_the_chosen_articles_are_offered(project):
    client = make_client(project, articles=["vitamin-d-bone-health"])
    root = html.fromstring(client.get("/").data)
    assert [r.get("data-article") for r in root.xpath('//table[@id="articles"]/tbody/tr')] == ["vitamin-d-bone-health"]
    assert client.get(f"/article/{SLUG}").status_code == 404


# -- the command ------------------------------------------------------------------------------------------

def test_the_command_serves_on_127_0_0_1_with_a_token_and_stops_on_ctrl_c(project):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # Ctrl-C as in a terminal: a suite started in the background (`cmd &` in a script) has SIGINT ignored, and a
    # child inherits an ignored signal (a caught one is reset to the default when it starts)
    ignored = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen([sys.executable, "-m", "pipeline", "--config", str(project / "l10n.yaml"),
                                    "review", "ko", "--no-browser", "--reviewer", REVIEWER],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    finally:
        signal.signal(signal.SIGINT, ignored)
    try:
        line = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:(\d+)/)\?token=([\w-]+)", line)
        assert match, line + process.stderr.read()
        base, token = match.group(1), match.group(3)
        assert len(token) >= 40
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base, timeout=10)
        assert refused.value.code == 403
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with opener.open(f"{base}?token={token}", timeout=10) as response:
            assert response.status == 200 and SLUG in response.read().decode("utf-8")
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "review page stopped" in out
    assert token not in err                                   # requests are not logged with their address


def test_approve_without_a_reviewer_is_a_usage_error(project):
    result = run_cli(project, "review", "ko", "--approve")
    assert result.exit_code == 2 and "--approve needs --reviewer NAME" in result.output


# -- in a real browser ------------------------------------------------------------------------------------

class Served:
    """The real server on 127.0.0.1 (port 0) in a thread."""

    def __init__(self, project: Path, reviewer: str | None) -> None:
        from pipeline.reviewapp import address, bind, create_app
        from pipeline.workflow import open_project

        self.server = bind(create_app(open_project(project / "l10n.yaml"), "ko", None, reviewer, TOKEN), 0)
        self.url = address(self.server, TOKEN)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)


@pytest.fixture
def served(project):
    running: list[Served] = []

    def start(reviewer: str | None = None) -> Served:
        running.append(Served(project, reviewer))
        return running[-1]

    yield start
    for server in running:
        server.stop()


def _wait_for_notice(browser, text: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 20).until(
        lambda b: text in b.execute_script("var n = document.getElementById('notice'); return n ? n.textContent : ''"))


def _current(browser) -> str:
    return browser.execute_script("var u = document.querySelector('section.unit.current'); return u ? u.id : ''")


def _keys(browser, keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(browser).send_keys(keys).perform()


@pytest.mark.gettext
def test_a_reviewer_reviews_an_article_end_to_end_in_chromium(project, served, browser, msgfmt):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait

    server = served()
    browser.set_window_size(1200, 1000)
    try:
        browser.get(server.url)
        assert browser.current_url.endswith("/") and "token" not in browser.current_url
        name = browser.find_element(By.CSS_SELECTOR, "input[name=name]")
        name.send_keys(REVIEWER)
        name.submit()
        WebDriverWait(browser, 20).until(lambda b: b.find_elements(By.ID, "reviewer-name"))
        browser.find_element(By.LINK_TEXT, SLUG).click()
        assert "Keys:" in browser.find_element(By.ID, "keys").text
        assert _current(browser) == "u1"
        # approve units 1 and 2 with the keyboard, unit 3 with its button
        _keys(browser, "a")
        _wait_for_notice(browser, "Unit 1 approved.")
        assert _current(browser) == "u2"
        _keys(browser, "a")
        _wait_for_notice(browser, "Unit 2 approved.")
        browser.find_element(By.CSS_SELECTOR, "#u3 button[data-action=approve]").click()
        _wait_for_notice(browser, "Unit 3 approved.")
        # move on with j, back with k, on again with n: unit 5; reject it (r focuses the reason, Ctrl-Enter sends)
        _keys(browser, "jkjn")
        assert _current(browser) == "u6"
        _keys(browser, "p")
        assert _current(browser) == "u5"
        rejected_msgid = browser.find_element(By.CSS_SELECTOR, "#u5 p[data-role=english]").text
        _keys(browser, "r")
        assert browser.switch_to.active_element.get_attribute("name") == "reason"
        _keys(browser, "the dose reads wrong")
        Select(browser.find_element(By.CSS_SELECTOR, "#u5 select[name=category]")).select_by_value("accuracy")
        Select(browser.find_element(By.CSS_SELECTOR, "#u5 select[name=severity]")).select_by_value("major")
        browser.find_element(By.CSS_SELECTOR, "#u5 textarea[name=reason]").click()
        ActionChains(browser).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
        _wait_for_notice(browser, "Unit 5 rejected.")
        assert browser.find_element(By.ID, "u5").get_attribute("data-state") == "rejected"
        browser.set_window_size(1200, 2000)
        browser.execute_script("window.scrollTo(0, 0)")
        TEST_OUTPUT.mkdir(exist_ok=True)
        assert browser.save_screenshot(str(TEST_OUTPUT / "review-page.png"))
        # the rest with the article's button
        browser.find_element(By.CSS_SELECTOR, "#approve-clean button").click()
        _wait_for_notice(browser, "clean unit(s) approved; 0 held back")
    finally:
        browser.set_window_size(900, 700)
    po = read_po(project / CATALOG)
    live = [e for e in po if not e.obsolete]
    states = {e.msgid: review_state(e) for e in live}
    assert states.pop(rejected_msgid) is ReviewState.REJECTED
    assert set(states.values()) == {ReviewState.APPROVED}
    rejected = po.find(rejected_msgid)
    assert "fuzzy" in rejected.flags
    assert records(rejected)[-1].reason == "the dose reads wrong"
    assert all(records(e)[-1].reviewer == REVIEWER for e in live)
    assert run_msgfmt_check(msgfmt, project / CATALOG).returncode == 0
    # the effect, everywhere a content lead looks: review status, check, and what sync publishes
    status = run_cli(project, "review", "status", "ko").output
    row = next(line.split() for line in status.splitlines() if line.split()[:2] == ["ko", SLUG])
    assert row[2:5] == [str(len(live) - 1), "0", "1"]
    config = project / "l10n.yaml"
    config.write_text(config.read_text("utf-8").replace("  - ko\n", "  - code: ko\n    review: required\n", 1),
                      encoding="utf-8")
    check = run_cli(project, "check", "--only", "review-rejected")
    assert "the dose reads wrong" in check.output
    assert run_cli(project, "sync").exit_code == 0
    published = html.fromstring((project / "output" / "ko" / f"{SLUG}.html").read_bytes())
    english = [" ".join(e.text_content().split()) for e in published.xpath('//body//*[@lang="en"]')]
    assert english == [" ".join(rejected_msgid.split())]   # the rejected unit alone is in English
    assert not (project / "output" / "ko" / "vitamin-d-bone-health.html").exists()   # not reviewed yet


def test_markup_in_a_translation_never_runs_in_the_browser(project, served, browser):
    from selenium.webdriver.common.by import By

    set_translation(project, "Key Takeaway", SCRIPT)
    set_translation(project, "Bottom Line", IMAGE)
    server = served(REVIEWER)
    browser.get(server.url)
    browser.get(server.url.split("?")[0] + f"article/{SLUG}")
    shown = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "p[data-role=translation]")]
    assert SCRIPT in shown and IMAGE in shown
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert browser.find_elements(By.CSS_SELECTOR, "main img") == []
