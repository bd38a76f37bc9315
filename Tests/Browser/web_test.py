"""The web front end in a real headless Chromium: the journeys of the seed, asserted on what the pages
show, with screenshots at desktop and phone width and an accessibility check of each main page.

Run by deploy/local/browser-tests against the running local stack."""
import base64
import json
import os
import re
import socket
import sys
import tempfile
import time
import unittest
import urllib.request

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from office import API, Office, Partner, admin_password, admin_token

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WEB = os.environ["IOFFICE_WEB_URL"]
DOCUMENTS = os.environ["IOFFICE_DOCUMENTS_URL"]
LOCAL = os.environ["IOFFICE_LOCAL_DIR"]
SHOTS = os.environ["IOFFICE_SCREENSHOTS"]
FIXTURES = os.environ["IOFFICE_FIXTURES"]
DESKTOP, PHONE = (1280, 900), (390, 844)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=vi", f"--window-size={DESKTOP[0]},{DESKTOP[1]}"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(0)
    return driver


class WebJourneys(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.api = API(DOCUMENTS)
        cls.admin = admin_token(cls.api, LOCAL)
        cls.office = Office(cls.api, cls.admin)
        for key in ["clerk", "head", "leader"]:
            cls.office.settle_password(key)
        cls.office.people["admin"] = {"username": "admin", "password": admin_password(LOCAL), "name": "Quản trị"}
        cls.driver = browser()
        cls.violations = {}

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()

    # --- helpers -------------------------------------------------------------------------------

    def wait(self, condition, timeout=15):
        # A page that is replaced while a condition reads it (the redirect after a post) leaves a stale
        # element: that is "not yet", not a failure.
        # Chromium may also say the node "does not belong to the document" (a WebDriverException) for the same
        # reason: a wait retries both until its time is up, so a real failure is still a failure.
        return WebDriverWait(self.driver, timeout, ignored_exceptions=[StaleElementReferenceException, WebDriverException]).until(condition)

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "main").text

    def go(self, path):
        self.driver.get(WEB + path)

    def login(self, key):
        self.driver.delete_all_cookies()
        self.go("/dang-nhap")
        person = self.office.people[key]
        self.driver.find_element(By.ID, "username").send_keys(person["username"])
        self.driver.find_element(By.ID, "password").send_keys(person["password"])
        self.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        self.wait(lambda d: "/dang-nhap" not in d.current_url)

    def submit(self, form_id):
        self.driver.find_element(By.CSS_SELECTOR, f"#{form_id} button[type=submit]").click()

    def choose(self, select_id, label_part):
        select = Select(self.driver.find_element(By.ID, select_id))
        for option in select.options:
            if label_part in option.text:
                select.select_by_visible_text(option.text)
                return
        self.fail(f"no option with {label_part!r} in #{select_id}: {[o.text for o in select.options]}")

    def shot(self, name):
        """Desktop and phone screenshots of the current page, and its accessibility check."""
        for label, (width, height) in [("desktop", DESKTOP), ("phone", PHONE)]:
            self.driver.set_window_size(width, height)
            self.driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
            time.sleep(0.2)
            self.driver.save_screenshot(os.path.join(SHOTS, f"{name}-{label}.png"))
        self.driver.set_window_size(*DESKTOP)
        self.check_accessibility(name)

    def check_accessibility(self, name):
        axe = Axe(self.driver)
        axe.inject()
        results = axe.run(options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
        serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
        self.assertEqual(
            [], [f"{v['id']}: {v['help']} ({len(v['nodes'])}: {[n.get('target') for n in v['nodes']][:3]})" for v in serious],
            f"accessibility of {name}")

    def pdf(self, content="Bản quét văn bản giấy"):
        handle = tempfile.NamedTemporaryFile(suffix=".pdf", delete=False)
        handle.write(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + content.encode() + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n")
        handle.close()
        return handle.name

    # --- journeys ------------------------------------------------------------------------------

    def test_1_first_login_forces_a_new_password(self):
        self.driver.delete_all_cookies()
        self.go("/van-ban-den")
        self.assertIn("/dang-nhap", self.driver.current_url, "a page without login leads to the login page")
        self.check_accessibility("login")
        self.login("specialist")
        self.assertIn("/doi-mat-khau", self.driver.current_url)
        self.assertIn("lần đăng nhập đầu tiên", self.text())
        person = self.office.people["specialist"]
        self.driver.find_element(By.ID, "currentPassword").send_keys(person["password"])
        self.driver.find_element(By.ID, "newPassword").send_keys("Khong-khop-2026")
        self.driver.find_element(By.ID, "confirmPassword").send_keys("Khac-hoan-toan-2026")
        self.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        self.wait(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".alert.error")))
        self.assertIn("không khớp", self.text())
        new = "Cao-Bang-Xanh-2026"
        self.driver.find_element(By.ID, "currentPassword").send_keys(person["password"])
        self.driver.find_element(By.ID, "newPassword").send_keys(new)
        self.driver.find_element(By.ID, "confirmPassword").send_keys(new)
        self.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        self.wait(lambda d: "/van-ban-den" in d.current_url)
        self.assertIn("Đã đổi mật khẩu.", self.text())
        self.assertIn(person["name"], self.driver.find_element(By.CSS_SELECTOR, "header .who").text)
        person["password"] = new

    def test_2_a_paper_document_from_registration_to_finished_and_found_without_diacritics(self):
        subject = f"Về việc triển khai phần mềm quản lý văn bản {self.office.run}"
        self.login("clerk")
        self.go("/van-ban-den/vao-so")
        form = {"senderName": "Ủy ban nhân dân tỉnh Cao Bằng", "number": "399", "notation": "UBND-VP", "documentType": "CV",
                "subject": subject, "signerName": "Trần Văn Bình"}
        for field, value in form.items():
            self.driver.find_element(By.ID, field).send_keys(value)
        self.driver.find_element(By.ID, "issuedAt").send_keys("99/99/2026")
        self.driver.find_element(By.ID, "attachments").send_keys(self.pdf())
        self.driver.find_element(By.CSS_SELECTOR, "form.grid button[type=submit]").click()
        # Refused: the date is wrong; what was typed stays, the reason is next to the field.
        self.wait(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".field-error")))
        self.assertIn("ngày/tháng/năm", self.text())
        self.assertEqual(subject, self.driver.find_element(By.ID, "subject").get_attribute("value"))
        date = self.driver.find_element(By.ID, "issuedAt")
        date.clear()
        date.send_keys("20/11/2026")
        self.driver.find_element(By.ID, "attachments").send_keys(self.pdf())
        self.driver.find_element(By.CSS_SELECTOR, "form.grid button[type=submit]").click()
        self.wait(lambda d: re.search(r"/van-ban-den/[0-9a-f-]{36}", d.current_url))
        self.assertRegex(self.text(), r"Đã vào sổ số đến \d+")
        self.assertIn(subject, self.driver.find_element(By.TAG_NAME, "h1").text)
        self.assertIn("20/11/2026", self.text())
        document = self.driver.current_url.split("?")[0]
        # The clerk routes it to the head.
        self.choose("main", self.office.people["head"]["name"])
        self.submit("chuyen-xu-ly")
        self.wait(lambda d: "thongbao=da-luu" in d.current_url)
        self.assertIn("Đang xử lý", self.driver.find_element(By.CSS_SELECTOR, "[data-state]").text)

        # The head sees it pending, and forwards it to the specialist with a deadline.
        self.login("head")
        self.go("/van-ban-den?hop=cho-xu-ly")
        self.assertIn(subject, self.text())
        self.shot("incoming-list")
        # Filtering swaps the list in place: the page itself is not reloaded.
        self.driver.execute_script("window.stillHere = true")
        Select(self.driver.find_element(By.ID, "do-khan")).select_by_visible_text("Hỏa tốc")
        self.driver.find_element(By.CSS_SELECTOR, "form.filters button").click()
        self.wait(lambda d: "do-khan=flash" in d.current_url)
        self.wait(lambda d: "Không có văn bản nào." in d.find_element(By.CSS_SELECTOR, "[data-partial]").text)
        self.assertTrue(self.driver.execute_script("return window.stillHere === true"))
        Select(self.driver.find_element(By.ID, "do-khan")).select_by_visible_text("Tất cả")
        self.driver.find_element(By.CSS_SELECTOR, "form.filters button").click()
        self.wait(lambda d: subject in d.find_element(By.CSS_SELECTOR, "[data-partial]").text)
        self.driver.find_element(By.LINK_TEXT, subject).click()
        self.choose("main", self.office.people["specialist"]["name"])
        self.driver.find_element(By.ID, "deadline").send_keys("30/12/2026")
        self.driver.find_element(By.ID, "forward-comment").send_keys("Đề nghị chuyên viên tham mưu triển khai")
        self.shot("incoming-document")
        self.submit("chuyen-xu-ly")
        self.wait(lambda d: "thongbao=da-luu" in d.current_url)
        self.assertIn("Đề nghị chuyên viên tham mưu triển khai", self.text())

        # The specialist finishes it.
        self.login("specialist")
        self.go("/van-ban-den")
        self.assertIn(subject, self.text())
        self.driver.get(document)
        self.driver.find_element(By.ID, "finish-comment").send_keys("Đã triển khai tại các phòng")
        self.submit("ket-thuc")
        self.wait(lambda d: "thongbao=da-luu" in d.current_url)
        self.assertEqual("Đã kết thúc", self.driver.find_element(By.CSS_SELECTOR, "[data-state]").text)

        # Typed without diacritics, in capitals, the search finds it.
        self.go("/tra-cuu")
        self.driver.find_element(By.ID, "q").send_keys(f"TRIEN KHAI phan mem {self.office.run}")
        self.driver.find_element(By.CSS_SELECTOR, "form.search button").click()
        self.wait(lambda d: "/tra-cuu?" in d.current_url)
        results = self.driver.find_element(By.CSS_SELECTOR, "[data-results=incoming]").text
        self.assertIn(subject, results)
        self.shot("search")

    def test_3_a_draft_through_approval_to_issuance(self):
        subject = f"Công văn đôn đốc báo cáo tổng kết năm {self.office.run}"
        self.login("specialist")
        self.go("/van-ban-di/soan-thao")
        Select(self.driver.find_element(By.ID, "documentTypeId")).select_by_visible_text("Công văn")
        self.driver.find_element(By.ID, "subject").send_keys(subject)
        self.driver.find_element(By.ID, "files").send_keys(self.pdf("Dự thảo công văn"))
        self.choose("recipient", f"Văn phòng {self.office.run}")
        self.shot("outgoing-draft")
        self.driver.find_element(By.CSS_SELECTOR, "form.grid button[type=submit]").click()
        self.wait(lambda d: "thongbao=da-tao" in d.current_url)
        draft = self.driver.current_url.split("?")[0]
        self.assertEqual("Dự thảo", self.driver.find_element(By.CSS_SELECTOR, "[data-state]").text)
        self.choose("submit-to", self.office.people["leader"]["name"])
        self.submit("trinh")
        self.wait(lambda d: "thongbao=da-luu" in d.current_url)
        self.assertEqual("Chờ duyệt", self.driver.find_element(By.CSS_SELECTOR, "[data-state]").text)

        self.login("leader")
        self.go("/van-ban-di?hop=cho-duyet")
        self.driver.find_element(By.LINK_TEXT, subject).click()
        self.choose("approve-to", self.office.people["head"]["name"])
        self.submit("duyet")
        self.wait(lambda d: "thongbao=da-luu" in d.current_url)

        self.login("head")
        self.driver.get(draft)
        self.driver.find_element(By.ID, "approve-comment").send_keys("Đồng ý ban hành")
        self.submit("duyet")
        self.wait(lambda d: "thongbao=da-luu" in d.current_url)
        self.assertEqual("Chờ phát hành", self.driver.find_element(By.CSS_SELECTOR, "[data-state]").text)

        # The clerk attaches the digitally signed PDF; Signing's verdict shows before issuing.
        self.login("clerk")
        self.go("/van-ban-di?hop=cho-phat-hanh")
        self.driver.find_element(By.LINK_TEXT, subject).click()
        self.driver.find_element(By.ID, "final-file").send_keys(os.path.join(FIXTURES, "two-signatures.pdf"))
        self.submit("tep-ky")
        self.wait(lambda d: "thongbao=da-luu" in d.current_url)
        verdict = ""
        for _ in range(40):
            verdict = self.driver.find_element(By.CSS_SELECTOR, "[data-final-verdict]").text
            if verdict != "Đang xác thực chữ ký số":
                break
            time.sleep(0.5)
            self.driver.refresh()
        # The local stack trusts no root yet (operators add the national ones): the clerk confirms.
        self.assertIn(verdict, ["Chữ ký số hợp lệ", "Chưa xác định được chữ ký số"])
        self.driver.find_element(By.ID, "signerName").send_keys("Trần Công Huân")
        self.driver.find_element(By.ID, "signerPosition").send_keys("Chủ tịch")
        if verdict == "Chưa xác định được chữ ký số":
            self.driver.find_element(By.NAME, "overrideSignature").click()
        self.submit("phat-hanh")
        # The address already says da-luu (from the file step): wait for the page the issue answers with.
        self.wait(lambda d: d.find_element(By.CSS_SELECTOR, "[data-state]").text != "Chờ phát hành")
        self.assertEqual("Đã phát hành", self.driver.find_element(By.CSS_SELECTOR, "[data-state]").text)
        self.assertRegex(self.driver.find_element(By.CSS_SELECTOR, "[data-symbol]").text, r"^\d{2,}/LĐLĐ-VP$")
        recipients = self.driver.find_element(By.CSS_SELECTOR, "[data-list=recipients]").text
        self.assertIn(f"Văn phòng {self.office.run}", recipients)
        self.assertIn("Đã nhận", recipients)
        self.shot("outgoing-issued")

    def test_4_an_attendee_answers_a_meeting_invitation(self):
        title = f"Họp triển khai lịch công tác {self.office.run}"
        self.login("clerk")
        self.go("/cuoc-hop/moi")
        self.driver.find_element(By.ID, "title").send_keys(title)
        self.driver.find_element(By.ID, "date").send_keys("10/12/2026")
        self.driver.find_element(By.ID, "start").send_keys("14:00")
        self.driver.find_element(By.ID, "end").send_keys("15:30")
        self.driver.find_element(By.ID, "room").send_keys(f"Phòng họp {self.office.run}")
        self.choose("attendee", self.office.people["specialist"]["name"])
        self.choose("attendee", self.office.people["leader"]["name"])
        self.driver.find_element(By.ID, "invitation").send_keys("Đề nghị các đồng chí chuẩn bị ý kiến.")
        self.submit("moi-hop")
        self.wait(lambda d: "thongbao=da-moi" in d.current_url)
        self.assertIn("Đã gửi giấy mời họp.", self.text())
        meeting = self.driver.current_url.split("?")[0]

        # The specialist finds it in the week and declines with a reason.
        self.login("specialist")
        self.go("/lich-cong-tac?pham-vi=person&tuan=10/12/2026")
        self.assertIn("Tuần 07/12/2026 – 13/12/2026", self.driver.find_element(By.CSS_SELECTOR, "[data-week]").text)
        self.assertIn(title, self.text())
        self.shot("calendar-week")
        self.driver.find_element(By.LINK_TEXT, title).click()
        self.assertIn("Thứ Năm, 10/12/2026", self.text())
        self.driver.find_element(By.CSS_SELECTOR, "input[name=answer][value=decline]").click()
        self.driver.find_element(By.ID, "reason").send_keys("Trùng lịch tiếp dân")
        self.submit("tra-loi")
        self.wait(lambda d: "thongbao=da-tra-loi" in d.current_url)
        self.assertEqual("Không dự", self.driver.find_element(By.CSS_SELECTOR, "[data-my-answer]").text)

        # The organiser sees the answer and its reason.
        self.login("clerk")
        self.driver.get(meeting)
        attendees = self.driver.find_element(By.CSS_SELECTOR, "[data-list=attendees]").text
        self.assertIn("Không dự", attendees)
        self.assertIn("Trùng lịch tiếp dân", attendees)
        self.shot("meeting")

    def test_5_the_admin_adds_a_unit_an_agency_and_a_user_and_grants_a_permission(self):
        run = self.office.run
        self.login("admin")
        self.go("/quan-tri/don-vi")
        self.driver.find_element(By.ID, "unit-code").send_keys(f"BTG{run}")
        self.driver.find_element(By.ID, "unit-name").send_keys(f"Ban Tuyên giáo {run}")
        self.driver.find_element(By.ID, "unit-abbreviation").send_keys("BTG")
        self.driver.find_element(By.CSS_SELECTOR, "form.grid button[type=submit]").click()
        self.wait(lambda d: f"Ban Tuyên giáo {run}" in d.find_element(By.TAG_NAME, "main").text)
        self.go("/quan-tri/danh-muc?loai=co-quan")
        self.driver.find_element(By.ID, "f-code").send_keys(f"000.00.{run[:2]}.H{run[2:]}")
        self.driver.find_element(By.ID, "f-name").send_keys(f"Sở Giáo dục và Đào tạo {run}")
        self.driver.find_element(By.CSS_SELECTOR, "form.grid button[type=submit]").click()
        self.wait(lambda d: f"Sở Giáo dục và Đào tạo {run}" in d.find_element(By.TAG_NAME, "main").text)
        self.go("/quan-tri/nguoi-dung")
        self.driver.find_element(By.ID, "fullName").send_keys(f"Đinh Thị Mới {run}")
        self.choose("unitId", f"Ban Tuyên giáo {run}")
        self.driver.find_element(By.CSS_SELECTOR, "input[name=roles][value=specialist]").click()
        self.driver.find_element(By.CSS_SELECTOR, "form.grid button[type=submit]").click()
        self.wait(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-password]")))
        username = self.driver.find_element(By.CSS_SELECTOR, "[data-username]").text
        self.assertTrue(len(self.driver.find_element(By.CSS_SELECTOR, "[data-password]").text) >= 10)
        self.shot("admin-users")
        self.driver.find_element(By.LINK_TEXT, username).click()
        self.driver.find_element(By.CSS_SELECTOR, "input[name=permissions][value='sms.send']").click()
        self.driver.find_element(By.CSS_SELECTOR, "form.grid button[type=submit]").click()
        self.wait(lambda d: "thongbao=da-luu" in d.current_url)
        self.assertTrue(self.driver.find_element(By.CSS_SELECTOR, "input[name=permissions][value='sms.send']").is_selected())

    def test_6_a_leader_gives_a_task_and_the_specialist_reports_it_done(self):
        title = f"Tổng hợp báo cáo quý IV {self.office.run}"
        self.login("leader")
        self.go("/cong-viec")
        self.driver.find_element(By.ID, "title").send_keys(title)
        self.choose("assigneeId", self.office.people["specialist"]["name"])
        self.driver.find_element(By.ID, "deadline").send_keys("30/12/2026")
        self.submit("giao-viec")
        self.wait(lambda d: "thongbao=da-giao" in d.current_url)
        self.assertIn(title, self.text())
        self.shot("tasks")

        # The specialist cannot give work upwards; the reason is said in the page.
        self.login("specialist")
        self.go("/cong-viec")
        self.assertIn(title, self.text())
        self.driver.find_element(By.ID, "title").send_keys("Việc giao ngược")
        self.choose("assigneeId", self.office.people["leader"]["name"])
        self.submit("giao-viec")
        self.wait(lambda d: "Bạn chỉ giao việc cho người trong đơn vị mình phụ trách." in d.find_element(By.TAG_NAME, "main").text)

        self.go("/cong-viec")
        self.driver.find_element(By.LINK_TEXT, title).click()
        self.driver.find_element(By.ID, "percent").send_keys("100")
        self.driver.find_element(By.ID, "comment").send_keys("Đã gửi báo cáo cho văn phòng")
        self.submit("tien-do")
        self.wait(lambda d: "thongbao=da-luu" in d.current_url)
        self.assertEqual("Đã hoàn thành", self.driver.find_element(By.CSS_SELECTOR, "[data-state]").text)
        self.assertIn("Đã gửi báo cáo cho văn phòng", self.text())
        task = self.driver.current_url.split("?")[0]

        # The specialist opens a dossier and files the task in it; the dossier shows it.
        dossier = f"Hồ sơ báo cáo {self.office.run}"
        self.go("/ho-so")
        self.driver.find_element(By.ID, "name").send_keys(dossier)
        self.submit("lap-ho-so")
        self.wait(lambda d: "thongbao=da-lap" in d.current_url)
        self.assertIn(dossier, self.text())
        self.shot("dossiers")
        self.driver.get(task)
        self.choose("dossierId", dossier)
        self.submit("luu-ho-so")
        self.wait(lambda d: "thongbao=da-luu-muc" in d.current_url)
        self.assertIn(dossier, self.driver.find_element(By.TAG_NAME, "h1").text)
        self.assertIn(title, self.text())
        self.shot("dossier")


    def test_7_an_urgent_notice_on_every_page_until_read_and_a_file_of_ones_own(self):
        text = f"Họp khẩn lúc 14 giờ tại phòng họp số 1 {self.office.run}"
        self.login("clerk")
        self.driver.find_element(By.LINK_TEXT, "Thông báo khẩn").click()
        self.driver.find_element(By.ID, "text").send_keys(text)
        self.submit("gui-khan")
        self.wait(lambda d: "thongbao=da-gui" in d.current_url)

        # The specialist sees it at the top of whatever page, until they say they read it.
        self.login("specialist")
        self.go("/van-ban-den")
        # (Notices of earlier runs, still showing, are everyone's too: only this run's is looked at.)
        def ours(d):
            # Read in one script call: the page may be replaced between finding a banner and reading it.
            return [t for t in d.execute_script(
                "return [...document.querySelectorAll('[data-urgent]')].map(b => b.textContent)") if text in t]
        self.assertEqual(1, len(ours(self.driver)))
        self.shot("urgent-banner")
        banner = next(b for b in self.driver.find_elements(By.CSS_SELECTOR, "[data-urgent]") if text in b.text)
        banner.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait(lambda d: d.current_url.endswith("/van-ban-den") and not ours(d))
        self.go("/lich-cong-tac")
        self.assertFalse(ours(self.driver))

        # A file of one's own: uploaded, deleted, restored.
        self.go("/tai-lieu")
        self.driver.find_element(By.ID, "file").send_keys(self.pdf("Quy chế làm việc"))
        self.submit("tai-len")
        self.wait(lambda d: "thongbao=da-tai-len" in d.current_url)
        self.assertIn(".pdf", self.text())
        self.shot("files")
        self.driver.find_element(By.CSS_SELECTOR, "form[action$='/xoa'] button").click()
        self.wait(lambda d: "xem=da-xoa" in d.current_url)
        self.driver.find_element(By.CSS_SELECTOR, "form[action$='/khoi-phuc'] button").click()
        self.wait(lambda d: d.current_url.endswith("/tai-lieu"))
        self.assertIn(".pdf", self.text())

        self.login("clerk")
        self.go("/thong-bao-khan")
        self.assertIn(text, self.text())


class PartnerScript(unittest.TestCase):
    """A partner agency's HTML and SVG attachments, with script, opened by a clerk in a real browser:
    nothing runs in our origin (the page, its cookies and its storage are unchanged)."""

    SCRIPT = b"document.cookie='pwned=1; path=/';try{localStorage.setItem('pwned','1')}catch(e){};" \
             b"try{parent.document.title='PWNED'}catch(e){};document.title='PWNED'"

    @classmethod
    def setUpClass(cls):
        cls.api = API(DOCUMENTS)
        cls.admin = admin_token(cls.api, LOCAL)
        cls.office = Office(cls.api, cls.admin)
        cls.office.settle_password("clerk")
        cls.partner = Partner(cls.api, cls.admin, LOCAL, ROOT, "Ủy ban nhân dân huyện Thử Nghiệm")
        cls.driver = browser()

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.partner.remove()

    def test_html_and_svg_attachments_with_script_run_nothing(self):
        subject = f"Văn bản có tệp độc {self.office.run}"
        html = b"<!doctype html><title>x</title><script>" + self.SCRIPT + b"</script><p>Tep HTML</p>"
        svg = (b'<svg xmlns="http://www.w3.org/2000/svg" onload="' + self.SCRIPT.replace(b"'", b"&apos;") + b'">'
               b"<script>" + self.SCRIPT + b"</script><text y='20'>SVG</text></svg>")
        self.partner.send(subject, [("tep.html", "text/html", html), ("hinh.svg", "image/svg+xml", svg)])
        # The clerk opens it like any arrival, then each attachment.
        person = self.office.people["clerk"]
        driver = self.driver
        driver.delete_all_cookies()
        driver.get(WEB + "/dang-nhap")
        driver.find_element(By.ID, "username").send_keys(person["username"])
        driver.find_element(By.ID, "password").send_keys(person["password"])
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        WebDriverWait(driver, 15).until(lambda d: "/dang-nhap" not in d.current_url)
        deadline = time.time() + 30
        while True:
            driver.get(WEB + "/van-ban-den")
            links = driver.find_elements(By.LINK_TEXT, subject)
            if links or time.time() > deadline:
                break
            time.sleep(1)
        self.assertTrue(links, "the partner's document did not arrive")
        links[0].click()
        WebDriverWait(driver, 15).until(lambda d: re.search(r"/van-ban-den/[0-9a-f-]{36}", d.current_url))
        page = driver.current_url
        before = sorted((c["name"], c["value"]) for c in driver.get_cookies())
        files = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "main a[target=_blank]")]
        self.assertEqual(2, len(files), files)
        for href in files:
            driver.get(href)
            time.sleep(1)
            self.assertNotEqual("PWNED", driver.title, href)
            driver.get(page)
            self.assertNotEqual("PWNED", driver.title)
            self.assertIsNone(driver.execute_script("return localStorage.getItem('pwned')"), href)
            self.assertNotIn("pwned=1", driver.execute_script("return document.cookie"), href)
            self.assertEqual(before, sorted((c["name"], c["value"]) for c in driver.get_cookies()), href)
        # And as served: downloads, never a type the browser would render, under a sandbox.
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
        for href in files:
            with urllib.request.urlopen(urllib.request.Request(href, headers={"Cookie": cookie}), timeout=15) as answer:
                self.assertEqual("application/octet-stream", answer.headers["Content-Type"], href)
                self.assertTrue(answer.headers["Content-Disposition"].startswith("attachment"), href)
                self.assertIn("sandbox", answer.headers["Content-Security-Policy"], href)
                self.assertEqual("nosniff", answer.headers["X-Content-Type-Options"], href)


class WebRefusals(unittest.TestCase):
    """What the front end refuses before doing any work: raw HTTP, as an attacker would send it."""

    @staticmethod
    def forged_token():
        def part(value):
            return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")
        claims = {"iss": "ioffice-documents", "aud": ["ioffice"], "sub": "00000000-0000-0000-0000-000000000001", "jti": "x",
                  "iat": time.time(), "exp": time.time() + 3600, "sid": "00000000-0000-0000-0000-000000000002", "username": "admin",
                  "name": "Quản trị", "roles": ["admin"], "permissions": [], "mustChangePassword": False}
        return part({"alg": "EdDSA", "typ": "JWT", "kid": "forged"}) + "." + part(claims) + "." + part("not a signature")

    def head_only(self, path, headers, declared_length):
        """Sends a POST's headers and a declared body length, but not the body: an answer must come at once,
        without waiting for (and reading) the body."""
        host = WEB.split("//", 1)[1].rstrip("/")
        name, port = host.split(":")
        with socket.create_connection((name, int(port)), timeout=10) as connection:
            lines = [f"POST {path} HTTP/1.1", f"Host: {host}", "Content-Type: application/x-www-form-urlencoded",
                     f"Content-Length: {declared_length}"] + [f"{k}: {v}" for k, v in headers.items()]
            connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            connection.settimeout(3)
            try:
                answer = connection.recv(4096).decode(errors="replace")
            except socket.timeout:
                self.fail(f"POST {path}: no answer within 3 s, the server waits for the body")
        return answer.split("\r\n")[0], answer

    def test_a_cross_site_post_is_refused_before_its_body_is_read(self):
        status, _ = self.head_only("/dang-nhap", {"Origin": "http://evil.example", "Cookie": "ioffice_csrf=" + "a" * 32}, 60000)
        self.assertIn(" 403 ", status + " ")
        status, _ = self.head_only("/dang-nhap", {"Sec-Fetch-Site": "cross-site", "Cookie": "ioffice_csrf=" + "a" * 32}, 60000)
        self.assertIn(" 403 ", status + " ")

    def test_a_forged_token_cookie_opens_nothing_and_uploads_nothing(self):
        cookie = f"ioffice_token={self.forged_token()}; ioffice_csrf={'a' * 32}"
        status, answer = self.head_only("/van-ban-den/vao-so", {"Sec-Fetch-Site": "same-origin", "Cookie": cookie}, 60_000_000)
        self.assertIn(" 303 ", status + " ")
        self.assertIn("/dang-nhap", answer)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
