// A little help where it matters; every page works without it.
// The SMS counter shows the text as the phone will: no diacritics, đ→d, ASCII only, 160 at most.
function smsText(text) {
  const marks = { "\u2018": "'", "\u2019": "'", "\u201C": '"', "\u201D": '"', "\u2013": "-", "\u2014": "-", "\u2026": "..." };
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
    .replace(/[\u2018\u2019\u201C\u201D\u2013\u2014\u2026]/g, (c) => marks[c])
    .replace(/\s+/g, " ").replace(/[^\x20-\x7E]/g, "").replace(/ +/g, " ").trim();
}

document.addEventListener("DOMContentLoaded", () => {
  const sms = document.querySelector("[data-sms-counter]");
  if (sms) {
    const count = document.querySelector("[data-sms-count]");
    const preview = document.querySelector("[data-sms-preview]");
    const update = () => {
      const text = smsText(sms.value);
      count.textContent = String(text.length);
      count.parentElement.classList.toggle("field-error", text.length > 160);
      preview.textContent = text;
    };
    sms.addEventListener("input", update);
    update();
  }
  // Live unread count, and a chat page that refreshes when its conversation has news.
  const badge = document.querySelector("[data-unread-badge]");
  if (badge && window.EventSource) {
    const events = new EventSource("/thong-bao/su-kien");
    events.addEventListener("unread", (event) => {
      const unread = JSON.parse(event.data).unread;
      badge.textContent = String(unread);
      badge.hidden = unread === 0;
      const heading = document.querySelector("[data-unread]");
      if (heading) heading.textContent = String(unread);
    });
    const chat = document.querySelector("[data-chat]");
    events.addEventListener("chat", (event) => {
      if (chat && JSON.parse(event.data).conversationId === chat.dataset.chat) window.location.reload();
    });
  }
  // Lists page and filter in place: only the list is fetched and swapped, the rest of the page stays.
  for (const area of document.querySelectorAll("[data-partial]")) {
    const load = async (url) => {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) { window.location.href = url; return; }
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector(`[data-partial="${area.dataset.partial}"]`);
      if (!fresh) { window.location.href = url; return; }
      area.innerHTML = fresh.innerHTML;
      history.pushState(null, "", url);
    };
    area.addEventListener("click", (event) => {
      const link = event.target.closest("a[data-partial-link]");
      if (link) { event.preventDefault(); load(link.href); }
    });
    area.addEventListener("submit", (event) => {
      const form = event.target.closest("form[data-partial-form]");
      if (!form) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      load(form.action + "?" + new URLSearchParams(new FormData(form)).toString());
    }, true);
  }
  window.addEventListener("popstate", () => window.location.reload());
  // Keep a form from being sent twice by an impatient double click.
  for (const form of document.querySelectorAll("form:not([data-partial-form])")) {
    form.addEventListener("submit", () => {
      for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = true;
    });
  }
});
