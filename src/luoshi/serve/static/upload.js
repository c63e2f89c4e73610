// Adding a report: choose or drop a file; the upload's progress, then "reading…" while the
// server imports it; the reader opens when it is stored, or the server's one-line error shows
// (a report already stored links to it).  A file over the import's limit (the form's
// data-max-bytes) is refused here, before it is sent, with the reason `luoshi import` gives
// (ingest/read.py too_large), in the page's language.  Without scripts the form posts as it is.
"use strict";
(() => {
  const form = document.getElementById("upload-form");
  const input = form.querySelector("input[type=file]");
  const drop = document.getElementById("drop");
  const chosen = document.getElementById("chosen");
  const bar = document.getElementById("progress");
  const reading = document.getElementById("reading");
  const error = document.getElementById("upload-error");
  const button = form.querySelector("button[type=submit]");
  const t = luoshi.t, el = luoshi.el;

  const show = () => {
    const f = input.files[0];
    chosen.hidden = !f;
    if (f) chosen.textContent = `${f.name} · ${f.size < 1048576 ? `${Math.ceil(f.size / 1024)} KB` : `${(f.size / 1048576).toFixed(1)} MB`}`;
  };
  input.addEventListener("change", show);
  for (const kind of ["dragenter", "dragover"]) {
    drop.addEventListener(kind, (e) => { e.preventDefault(); drop.classList.add("over"); });
  }
  for (const kind of ["dragleave", "drop"]) drop.addEventListener(kind, () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    if (e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      show();
    }
  });

  function fail(message, stored) {
    error.replaceChildren(message);
    if (stored && stored.id) {
      error.append(" ", el("a", {href: `/documents/${Number(stored.id)}`}, t("js:open the stored report")));
    }
    error.hidden = false;
    bar.hidden = reading.hidden = true;
    button.disabled = false;
  }

  // bytes as ingest/read.py's _mb writes them: "2,048 bytes", "50 MB", "60.5 MB"
  const size = (n) => {
    if (n < 1048576 / 10) return `${n.toLocaleString("en-US")} bytes`;
    const mb = n / 1048576;
    return Number.isInteger(mb) ? `${mb} MB` : `${mb.toFixed(1)} MB`;
  };
  const limit = Number(form.dataset.maxBytes) || Infinity;

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!input.files.length) return;
    const f = input.files[0];
    if (f.size > limit) {
      fail(luoshi.say(`${f.name}: file is ${size(f.size)}, over the ${size(limit)} limit (--max-bytes or LUOSHI_MAX_BYTES)`));
      return;
    }
    error.hidden = true;
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", luoshi.csrf());
    xhr.upload.addEventListener("progress", (p) => {
      if (p.lengthComputable) bar.value = Math.round((100 * p.loaded) / p.total);
    });
    xhr.upload.addEventListener("load", () => { bar.value = 100; reading.hidden = false; });
    xhr.addEventListener("load", () => {
      let data = {};
      try { data = JSON.parse(xhr.responseText); } catch (err) { /* not JSON: said below */ }
      if (xhr.status < 300 && data.document_id) {
        location.assign(`/documents/${Number(data.document_id)}`);
        return;
      }
      const body = data.error || {};
      fail(luoshi.say(body.message) || `${xhr.status} ${xhr.statusText}`, body.details && body.details.stored);
    });
    xhr.addEventListener("error", () => fail(t("js:the upload failed: is the server running?")));
    xhr.send(new FormData(form));
  });
})();
