"""An official on a cheap phone in a village: log support with no signal, read households offline."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from assignments.models import SupportAction
from tests.browser.conftest import no_horizontal_scroll, sign_in, wait_cached, worker_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


POST_JSON = """async ([api, payload]) => {
    const token = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
    const response = await fetch(api, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify(payload),
    });
    return response.status;
}"""


def camera_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 90, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


# The demo's plan is for 2023: a support is dated in that year (the form and the server refuse others).
PLAN_DAY = "2023-11-20"


def log_support(page, description: str, *, value: str = "", kind: str = "knowledge", **fields) -> None:
    form = page.locator("#support-form")
    form.locator(f'input[name="kind"][value="{kind}"]').check()
    form.locator('input[name="date"]').fill(fields.get("date", PLAN_DAY))
    form.locator('[name="description"]').fill(description)
    form.locator('[name="quantity"]').fill(fields.get("quantity", ""))
    form.locator('[name="unit"]').fill(fields.get("unit", ""))
    form.locator('[name="value_vnd"]').fill(value)
    form.locator('select[name="contributor"]').select_option(fields.get("contributor", "official"))
    for code in fields.get("indicators", ()):
        form.locator(f'input[name="indicators"][value="{code}"]').check()
    form.locator('[type="submit"]').click()


def new_actions(household, before: set[int]):
    return SupportAction.objects.filter(household=household).exclude(pk__in=before).order_by("created_at")


def test_support_logged_offline_reaches_the_server_once(page, context, demo):
    household = demo.own[0]
    before = set(SupportAction.objects.filter(household=household).values_list("pk", flat=True))

    sign_in(page, "canbo01")
    page.goto("/my-households/")
    expect(page.locator("a.household-link")).to_have_count(len(demo.own))
    no_horizontal_scroll(page)
    worker_ready(page)

    page.locator(f'a.household-link[href="/households/{household.pk}/"]').click()
    expect(page).to_have_url(re.compile(rf"/households/{household.pk}/$"))
    no_horizontal_scroll(page)

    # Online: the support goes straight to the server and shows as sent in the timeline.
    log_support(
        page,
        "Tập huấn kỹ thuật trồng mì",
        value="1.500.000",
        kind="labour",
        quantity="2",
        unit="ngày công",
        contributor="relatives",
    )
    timeline = page.locator("#support-timeline")
    expect(timeline.locator("li.support-entry.sent")).to_contain_text("Tập huấn kỹ thuật trồng mì")
    (online,) = new_actions(household, before)
    assert (online.kind, online.value_vnd, online.quantity, online.unit, online.contributor) == (
        "labour",
        1_500_000,
        2,
        "ngày công",
        "relatives",
    )
    assert online.official.user.username == "canbo01"

    # No signal: two supports wait on the phone, the first even through a reload.
    wait_cached(page, f"/households/{household.pk}/")
    context.set_offline(True)
    status = page.locator("#sync-status")
    expect(status).to_contain_text("Mất kết nối")
    day_before = "2023-11-19"
    log_support(
        page,
        "Cho mượn 1 con bò giống",
        value="12.000.000",
        kind="materials",
        date=day_before,
        indicators=("employment", "nutrition"),
    )
    expect(status).to_contain_text("1 đang chờ gửi")
    page.reload()
    expect(timeline.locator("li.support-entry.pending")).to_have_count(1)
    log_support(page, "Hướng dẫn làm chuồng trại", value="200000")
    expect(status).to_contain_text("2 đang chờ gửi")
    pending = timeline.locator("li.support-entry.pending")
    expect(pending).to_have_count(2)
    expect(pending.first).to_contain_text("Đang chờ gửi")
    uuids = set(pending.evaluate_all("(items) => items.map((li) => li.dataset.uuid)"))
    no_horizontal_scroll(page)
    assert new_actions(household, before).count() == 1

    # Back online: both are sent by themselves, and the status line goes away.
    context.set_offline(False)
    expect(status).to_be_hidden(timeout=15_000)
    expect(timeline.locator("li.support-entry.pending")).to_have_count(0)
    sent = list(new_actions(household, before))
    assert len(sent) == 3
    offline = {str(action.client_uuid): action for action in sent[1:]}
    assert set(offline) == uuids
    assert sorted((a.description, a.kind, a.value_vnd, str(a.date)) for a in offline.values()) == [
        ("Cho mượn 1 con bò giống", "materials", 12_000_000, day_before),
        ("Hướng dẫn làm chuồng trại", "knowledge", 200_000, PLAN_DAY),
    ]
    # The boxes ticked offline travel with the entry; the server decided they were allowed.
    assert {a.description: sorted(a.indicators.values_list("code", flat=True)) for a in offline.values()} == {
        "Cho mượn 1 con bò giống": ["employment", "nutrition"],
        "Hướng dẫn làm chuồng trại": [],
    }

    # A replayed POST (a retry after a lost answer) finds the record instead of making a second one.
    replay = sent[-1]
    payload = {
        "client_uuid": str(replay.client_uuid),
        "household": household.pk,
        "kind": replay.kind,
        "date": str(replay.date),
        "description": replay.description,
        "quantity": None,
        "unit": "",
        "value_vnd": replay.value_vnd,
        "contributor": replay.contributor,
    }
    api = page.locator("#support-form").get_attribute("data-api")
    assert page.evaluate(POST_JSON, [api, payload]) == 200
    assert SupportAction.objects.filter(client_uuid=replay.client_uuid).count() == 1
    assert new_actions(household, before).count() == 3

    # Another official's household does not exist for canbo01, in the page and in the API.
    response = page.goto(f"/households/{demo.other.pk}/")
    assert response.status == 404
    stranger = {**payload, "client_uuid": "5d0c1f9e-4f3a-4b8e-9a51-0f3e2c1d7b60", "household": demo.other.pk}
    assert page.evaluate(POST_JSON, [api, stranger]) == 404
    assert not SupportAction.objects.filter(
        household=demo.other, client_uuid=stranger["client_uuid"]
    ).exists()


def test_households_open_with_no_network_after_one_visit(page, context, demo):
    first, second = demo.own[0], demo.own[-1]
    sign_in(page, "canbo01")
    page.goto("/my-households/")
    worker_ready(page)
    page.goto(f"/households/{first.pk}/")
    for path in ("/my-households/", f"/households/{first.pk}/", f"/households/{second.pk}/"):
        wait_cached(page, path)

    context.set_offline(True)
    page.goto("/my-households/")
    page.reload()
    expect(page.locator("a.household-link")).to_have_count(len(demo.own))
    expect(page.locator("main")).to_contain_text(second.code)
    no_horizontal_scroll(page)

    page.goto(f"/households/{second.pk}/")  # never opened: the worker fetched it in the background
    expect(page.locator("main")).to_contain_text(second.head_name)
    expect(page.locator("#support-form")).to_be_visible()
    expect(page.locator("#sync-status")).to_contain_text("Mất kết nối — hỗ trợ sẽ được lưu trên máy")
    no_horizontal_scroll(page)

    # A page never saved gets a plain Vietnamese explanation, not the browser's error page.
    response = page.goto(f"/households/{demo.other.pk}/")
    assert response.status == 503
    expect(page.locator("h1")).to_have_text("Không có mạng")

    # Only pages are kept: never the sign-in page, never a write.
    keys = page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
            }
            return urls;
        }"""
    )
    assert not [url for url in keys if "/accounts/" in url or "/api/support-actions" in url]

    # Signing out drops the saved pages (they hold personal data).
    context.set_offline(False)
    page.goto("/my-households/")
    page.locator('form[action="/accounts/logout/"] [type="submit"]').click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    wait_cached(page, f"/households/{second.pk}/", present=False)


def test_photos_need_the_network_and_refusals_are_explained(page, context, demo):
    household = demo.own[1]
    before = set(SupportAction.objects.filter(household=household).values_list("pk", flat=True))
    photo = {"name": "bo.jpg", "mimeType": "image/jpeg", "buffer": camera_photo()}
    sign_in(page, "canbo01")
    page.goto(f"/households/{household.pk}/")
    worker_ready(page)
    status, timeline = page.locator("#sync-status"), page.locator("#support-timeline")

    # The server refuses a quantity without its unit: the reason shows beside the form, which
    # keeps what was typed; nothing is retried.
    log_support(page, "Cấp 20 kg giống lúa", quantity="20")
    refused = page.locator("#support-form-status .sync-refused-item")
    expect(refused).to_contain_text("Cấp 20 kg giống lúa")
    expect(timeline.locator("li.support-entry.refused")).to_have_count(1)
    reason = refused.locator(".sync-reason").inner_text()
    assert reason and "400" not in reason  # the server's own words, not a status code
    assert new_actions(household, before).count() == 0
    form = page.locator("#support-form")
    expect(form.locator('[name="description"]')).to_have_value("Cấp 20 kg giống lúa")
    expect(form.locator('[name="quantity"]')).to_have_value("20")

    # With the unit it goes through, in place of the refused entry.
    form.locator('[name="unit"]').fill("kg")
    form.locator('[type="submit"]').click()
    expect(timeline.locator("li.support-entry.sent")).to_contain_text("Cấp 20 kg giống lúa")
    expect(timeline.locator("li.support-entry.refused")).to_have_count(0)
    expect(status).to_be_hidden()
    (rice,) = new_actions(household, before)
    assert (rice.quantity, rice.unit) == (20, "kg")

    # Offline, a photo cannot wait in the queue: the support is kept without it, and we say so.
    context.set_offline(True)
    page.locator('#support-form input[name="photo"]').set_input_files(photo)
    log_support(page, "Chụp ảnh chuồng bò")
    expect(status).to_contain_text("Ảnh chỉ gửi được khi có mạng")
    expect(status).to_contain_text("1 đang chờ gửi")
    context.set_offline(False)
    expect(timeline.locator("li.support-entry.sent")).to_have_count(2)
    offline = new_actions(household, before).get(description="Chụp ảnh chuồng bò")
    assert not offline.photo

    # Online, the form is posted as usual (multipart) and the photo is stored.
    page.locator('#support-form input[name="photo"]').set_input_files(photo)
    with page.expect_navigation():
        log_support(page, "Ảnh bò mới mua")
    with_photo = new_actions(household, before).get(description="Ảnh bò mới mua")
    assert with_photo.photo
    expect(page.locator("#support-timeline")).to_contain_text("Ảnh bò mới mua")


# --- Refusals, for every role that logs support (issue 9, item 4) ----------------------------------------

ERROR_BG = "rgb(253, 232, 232)"  # --poor-bg, the page's error colour
GREEN_BG = "rgb(232, 243, 239)"  # --accent, the "sent" badge


def stored_on_device(page) -> list[str]:
    """The client UUIDs in the phone's queue (IndexedDB)."""
    return page.evaluate(
        """() => new Promise((resolve, reject) => {
            const open = indexedDB.open("povertyplan-offline", 1);
            open.onupgradeneeded = () => open.result.createObjectStore("outbox", { keyPath: "client_uuid" });
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
                const request = open.result.transaction("outbox").objectStore("outbox").getAllKeys();
                request.onsuccess = () => resolve(request.result);
            };
        })"""
    )


def test_the_commune_officer_sees_a_refusal_beside_the_form_and_keeps_what_was_typed(page, demo):
    household = demo.own[0]
    before = set(SupportAction.objects.filter(household=household).values_list("pk", flat=True))
    sign_in(page, "ldtbxh")
    page.goto(f"/households/{household.pk}/")
    form, timeline = page.locator("#support-form"), page.locator("#support-timeline")

    # "1,5" could be 15 đồng or 1.500.000: refused, not stored as 15 đ; a negative quantity too.
    with page.expect_request(lambda request: request.url.endswith("/api/support-actions")) as sent:
        log_support(page, "Hỗ trợ phân bón cho vụ mới", value="1,5", quantity="-5")
    # The page sends the text as typed: the server alone reads it.
    assert (sent.value.post_data_json["value_vnd"], sent.value.post_data_json["quantity"]) == ("1,5", "-5")
    box = page.locator("#support-form-status")
    expect(box).to_contain_text("Không rõ '1,5' là bao nhiêu đồng. Gõ số đồng như 1.500.000 hoặc 1,5 triệu.")
    expect(box).to_contain_text("Số lượng không được âm.")
    expect(box.locator(".form-refused")).to_be_in_viewport()  # beside the button just tapped
    no_horizontal_scroll(page)
    # What was typed stays in the form, with each reason beside its field.
    expect(form.locator('[name="description"]')).to_have_value("Hỗ trợ phân bón cho vụ mới")
    expect(form.locator('[name="value_vnd"]')).to_have_value("1,5")
    expect(form.locator('[name="quantity"]')).to_have_value("-5")
    value_field = form.locator(".field.has-error", has=page.locator("#support-value"))
    expect(value_field.locator(".field-error")).to_contain_text("Không rõ '1,5' là bao nhiêu đồng")
    expect(form.locator(".field.has-error", has=page.locator("#support-quantity"))).to_have_count(1)
    # The timeline marks it refused, in the error colour: never green.
    mark = timeline.locator("li.support-entry.refused .sync-mark")
    expect(mark).to_have_text("Bị từ chối")
    colour = mark.evaluate("(node) => getComputedStyle(node).backgroundColor")
    assert colour == ERROR_BG != GREEN_BG
    assert new_actions(household, before).count() == 0
    # "Sửa lại" leads to the first field to correct; "Bỏ" is there too.
    expect(box.get_by_role("button", name="Bỏ")).to_be_visible()
    box.get_by_role("button", name="Sửa lại").click()
    expect(page.locator("#support-quantity")).to_be_focused()

    # Corrected in the form, it is stored, as typed: "1,5 triệu" is 1.500.000 đồng.
    form.locator('[name="value_vnd"]').fill("1,5 triệu")
    form.locator('[name="quantity"]').fill("5")
    form.locator('[name="unit"]').fill("bao")
    form.locator('[type="submit"]').click()
    expect(timeline.locator("li.support-entry.sent")).to_contain_text("Hỗ trợ phân bón cho vụ mới")
    expect(timeline.locator("li.support-entry.refused")).to_have_count(0)
    expect(box).to_contain_text("Đã ghi nhận hỗ trợ.")
    expect(form.locator('[name="description"]')).to_have_value("")
    expect(form.locator(".field-error")).to_have_count(0)
    (stored,) = new_actions(household, before)
    assert (stored.value_vnd, stored.quantity, stored.unit) == (1_500_000, 5, "bao")
    assert stored.official.user.username == "ldtbxh"
    assert stored_on_device(page) == []


def test_a_queued_entry_refused_later_can_be_edited_or_dropped_from_the_device(page, context, demo):
    household = demo.own[1]
    before = set(SupportAction.objects.filter(household=household).values_list("pk", flat=True))
    sign_in(page, "ldtbxh")
    page.goto(f"/households/{household.pk}/")
    worker_ready(page)
    wait_cached(page, f"/households/{household.pk}/")
    form, timeline = page.locator("#support-form"), page.locator("#support-timeline")
    box = page.locator("#support-form-status")

    # No signal: the entry waits on the device and the form is free for the next one.
    context.set_offline(True)
    log_support(
        page, "Cho 2 bao xi măng", value="abc", quantity="2", unit="bao", indicators=("housing_quality",)
    )
    expect(box).to_contain_text("Đã lưu hỗ trợ trên máy")
    expect(timeline.locator("li.support-entry.pending")).to_have_count(1)
    expect(page.locator("#sync-status")).to_contain_text("1 đang chờ gửi")  # the commune officer's too
    expect(form.locator('[name="description"]')).to_have_value("")

    # The network returns and the server refuses it: it is listed beside the form.
    context.set_offline(False)
    refused = box.locator(".sync-refused-item")
    expect(refused).to_contain_text("Cho 2 bao xi măng")
    expect(refused).to_contain_text("Không đọc được 'abc' thành số đồng")
    expect(timeline.locator("li.support-entry.refused")).to_have_count(1)
    (uuid,) = stored_on_device(page)

    # "Sửa lại" puts it back in the form, with the reason beside the field.
    refused.get_by_role("button", name="Sửa lại").click()
    expect(form.locator('[name="description"]')).to_have_value("Cho 2 bao xi măng")
    expect(form.locator('[name="value_vnd"]')).to_have_value("abc")
    expect(form.locator('[name="quantity"]')).to_have_value("2")
    expect(form.locator('input[name="indicators"][value="housing_quality"]')).to_be_checked()
    expect(form.locator('input[name="indicators"]:checked')).to_have_count(1)
    expect(form.locator(".field.has-error", has=page.locator("#support-value"))).to_have_count(1)
    assert stored_on_device(page) == [uuid]  # kept until a corrected entry replaces it

    # "Bỏ" removes it from the device, for good.
    page.once("dialog", lambda dialog: dialog.accept())
    refused.get_by_role("button", name="Bỏ").click()
    expect(box).to_be_hidden()
    expect(timeline.locator("li.support-entry.refused")).to_have_count(0)
    expect(form.locator('[name="description"]')).to_have_value("")
    assert stored_on_device(page) == []
    page.reload()
    expect(timeline.locator("li.support-entry.refused, li.support-entry.pending")).to_have_count(0)
    expect(page.locator("#support-form-status")).to_be_hidden()
    assert stored_on_device(page) == []
    assert new_actions(household, before).count() == 0
