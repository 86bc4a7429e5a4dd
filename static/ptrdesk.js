// ptrdesk: progressive enhancements; every page works without this file (the checks then
// run when the form is submitted).
"use strict";

// Live checks of a PTR field while the customer types: the offline findings at once, the DNS
// findings when they come. An answer for older text never replaces the answer for newer
// text, and Save stays disabled while the name is not a valid host name. Over the server's
// rate limit (429) the offline findings stay, the server's notice replaces "Checking DNS…",
// and the DNS checks run again by themselves after the wait if the text is still the same.
(() => {
  const DEBOUNCE_MS = 300;
  const state = new WeakMap(); // field -> { timer, seq }

  // A 429 answer: the server's notice (a findings fragment) and the seconds to wait.
  class Limited extends Error {
    constructor(html, seconds) {
      super("rate limited");
      this.html = html;
      this.seconds = seconds;
    }
  }

  function target(field) {
    const id = field.dataset.live || field.getAttribute("aria-describedby")?.split(" ")[0];
    return id ? document.getElementById(id) : null;
  }

  function ipOf(field) {
    if (field.dataset.checkIp) return field.dataset.checkIp;
    const from = field.dataset.checkIpFrom && document.getElementById(field.dataset.checkIpFrom);
    return from ? from.value.trim() : "";
  }

  async function fetchStage(field, ip, hostname, stage) {
    const url = `/ptr/check?${new URLSearchParams({ ip, hostname, stage })}`;
    // A redirect here means the session ended (it would lead to the sign-in page).
    const response = await fetch(url, {
      headers: { Accept: "text/html" },
      credentials: "same-origin",
      redirect: "manual",
    });
    if (response.type === "opaqueredirect") throw new Error("signed out");
    if (response.status === 429) {
      const seconds = Number.parseInt(response.headers.get("Retry-After") || "", 10);
      throw new Limited(await response.text(), Number.isFinite(seconds) && seconds > 0 ? seconds : 1);
    }
    if (!response.ok) throw new Error(String(response.status));
    return response.text();
  }

  // Shows a fragment from the server (or nothing) and enables Save unless it reports a
  // syntax error; the server checks again on submit in any case.
  function show(field, html) {
    const box = target(field);
    if (!box) return;
    box.innerHTML = html;
    const findings = box.querySelector(".findings");
    const save = field.form && field.form.querySelector("button.primary");
    if (save) save.disabled = Boolean(findings) && findings.dataset.syntaxError === "true";
  }

  // Puts the server's rate-limit notice where "Checking DNS…" was, keeping the findings
  // already shown (the offline ones); Save keeps its state (the server checks on Save).
  function showLimited(field, limited) {
    const box = target(field);
    const findings = box && box.querySelector(".findings");
    const notice = new DOMParser()
      .parseFromString(limited.html, "text/html")
      .querySelector(".rate-limited");
    if (!findings || !notice) {
      if (box) show(field, limited.html);
      return;
    }
    findings.querySelector(".finding.pending")?.remove();
    findings.querySelector(".rate-limited")?.remove();
    findings.append(notice);
    findings.dataset.final = "true";
  }

  async function run(field, seq) {
    const ip = ipOf(field);
    const hostname = field.value;
    const current = () => state.get(field).seq === seq;
    if (!ip) {
      show(field, "");
      return;
    }
    try {
      const offline = await fetchStage(field, ip, hostname, "offline");
      if (!current()) return;
      show(field, offline);
      const box = target(field);
      const done = box && box.querySelector(".findings")?.dataset.final === "true";
      if (done) return;
      const full = await fetchStage(field, ip, hostname, "full");
      if (current()) show(field, full);
    } catch (error) {
      if (!current()) return;
      if (error instanceof Limited) {
        showLimited(field, error);
        setTimeout(() => {
          if (current()) run(field, seq);
        }, error.seconds * 1000);
      } else {
        show(field, "");
      }
    }
  }

  function schedule(field) {
    const entry = state.get(field) || { timer: 0, seq: 0 };
    entry.seq += 1;
    clearTimeout(entry.timer);
    const seq = entry.seq;
    entry.timer = setTimeout(() => run(field, seq), DEBOUNCE_MS);
    state.set(field, entry);
  }

  // mail-banner runs on demand only: a button that needs this script, so it starts hidden.
  for (const button of document.querySelectorAll("[data-mail-check]")) button.hidden = false;
  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element && event.target.closest("[data-mail-check]");
    if (!button) return;
    const field = button.form && button.form.querySelector('input[name="hostname"]');
    if (!field || !field.value.trim()) return;
    const entry = state.get(field) || { timer: 0, seq: 0 };
    entry.seq += 1;
    state.set(field, entry);
    const seq = entry.seq;
    const box = target(field);
    if (box) box.innerHTML = '<p class="finding pending"><span class="icon spinner" aria-hidden="true"></span> Asking the mail server…</p>';
    try {
      const html = await fetchStage(field, ipOf(field), field.value, "mail");
      if (state.get(field).seq === seq) show(field, html);
    } catch (error) {
      // Over the rate limit: the notice says how long to wait; the button asks again.
      if (state.get(field).seq === seq) show(field, error instanceof Limited ? error.html : "");
    }
  });

  document.addEventListener("input", (event) => {
    const field = event.target;
    if (!(field instanceof HTMLInputElement)) return;
    if (field.name === "hostname") {
      const row = field.closest(".ptr-row");
      if (row) row.classList.toggle("dirty", field.value !== field.defaultValue);
      if (field.dataset.checkIp || field.dataset.checkIpFrom) schedule(field);
    } else if (field.name === "address" && field.id) {
      // The checks depend on the address too: re-check the host name typed beside it.
      const hostname = document.querySelector(`input[data-check-ip-from="${CSS.escape(field.id)}"]`);
      if (hostname && hostname.value) schedule(hostname);
    }
  });
})();

// Bulk page: a chosen CSV file is read into the text box (pasting works without this script,
// so the file picker only shows with it).
(() => {
  const picker = document.querySelector("input[data-csv-into]");
  const box = picker && document.getElementById(picker.dataset.csvInto);
  if (!picker || !box) return;
  picker.closest(".file-pick")?.removeAttribute("hidden");
  picker.addEventListener("change", async () => {
    const file = picker.files && picker.files[0];
    if (!file) return;
    box.value = await file.text();
    box.focus();
  });
})();
