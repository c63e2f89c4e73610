// luoshi reader: the card of the record clicked, #r<ID> links, and (editors only) fix, reject
// and add through the corrections API.  Report text only ever becomes DOM text nodes
// (luoshi.el), never markup.
"use strict";
(() => {
  const data = JSON.parse(document.getElementById("reader-data").textContent);
  const text = document.getElementById("text");
  const card = document.getElementById("card");
  const body = card.querySelector(".card-body");
  const editTools = document.getElementById("edit-tools"); // present for editors only
  const addButton = document.getElementById("add-record"); // present for editors only
  const el = luoshi.el;
  const t = luoshi.t, v = luoshi.v; // the page's language (luoshi.js)
  const byRef = new Map(data.records.map((r) => [r.ref, r]));
  const trackingBlock = document.getElementById("tracking-data");
  const tracked = trackingBlock ? JSON.parse(trackingBlock.textContent) : {}; // record id → its tracking item
  const canTrack = Boolean(document.getElementById("track-tools")); // editors only

  const QUALIFIERS = {about: "≈", at_least: "≥", at_most: "≤", exact: ""};
  const CHOICES = {
    type: ["indicator", "task"], kind: ["target", "result"], measure: ["change", "quantity", "rank"],
    qualifier: ["about", "at_least", "at_most", "exact"], action: ["start", "complete", "advance", "plan", "other"],
  };
  const SHOWN = {
    indicator: ["type", "kind", "year", "indicator", "measure", "value", "value_max", "unit", "qualifier",
      "estimated", "scope", "indicator_id"],
    task: ["type", "kind", "year", "action", "object", "verb"],
  };
  const EDITABLE = {
    indicator: ["kind", "year", "indicator", "measure", "value", "value_max", "unit", "qualifier", "estimated",
      "scope", "indicator_id", "topic"],
    task: ["kind", "year", "action", "object", "verb", "topic"],
  };
  const NUMBERS = ["year", "value", "value_max"];
  const NULLABLE = ["year", "value_max", "scope", "indicator_id", "topic"];

  const blank = (v) => v === null || v === undefined || v === "";

  // ---- showing a record ----
  const marksOf = (ref) => text.querySelectorAll(`mark.rec[data-id="${CSS.escape(ref)}"]`);
  const name = (r) => (r.type === "task" ? r.object : r.indicator) || t("js:(unnamed)");

  function amount(r) {
    if (!r || r.value === null || r.value === undefined) return "—";
    if (r.measure === "rank") return `${r.scope || ""}第${r.value}`;
    const upper = r.value_max !== null && r.value_max !== undefined ? `–${r.value_max}` : "";
    return `${QUALIFIERS[r.qualifier] || ""}${r.value}${upper}${r.unit || ""}`;
  }

  function label(r) {
    return r.type === "task" ? `${v(r.action) || ""} ${name(r)}` : `${name(r)} ${amount(r)}`;
  }

  function badges(r) {
    const cls = r.type === "task" ? "task" : r.kind;
    const out = [el("span", {class: `badge ${cls}`}, r.type === "task" ? `${v("task")} · ${v(r.kind)}` : v(r.kind))];
    if (r.correction) out.push(el("span", {class: "badge correction"}, v(r.correction)));
    return out;
  }

  function fieldList(r) {
    const dl = el("dl", {class: "fields"});
    const add = (k, value) => dl.append(el("dt", {}, t(`js:field ${k}`)), el("dd", {}, shown(k, value)));
    for (const k of SHOWN[r.type] || SHOWN.indicator) add(k, r[k]);
    add("topic", blank(r.topic) ? r.topic : t(`topic:${r.topic}`));
    add("offsets", `${r.start}–${r.end}`);
    add("correction", r.correction || "none");
    return dl;
  }

  // a field's value as a person reads it: machine words (about, change, start…) translated
  function shown(k, value) {
    if (blank(value)) return "—";
    if (typeof value === "boolean") return t(value ? "js:yes" : "js:no");
    if (["type", "kind", "measure", "qualifier", "action", "correction"].includes(k)) return v(value);
    return String(value);
  }

  function docLink(documentId, recordId, words) {
    const href = `/documents/${Number(documentId)}` + (blank(recordId) ? "" : `#r${Number(recordId)}`);
    return el("a", {href}, words);
  }

  // a target as the report words it: 5.5%左右 (the qualifier's word after the amount)
  function targetText(x) {
    if (!x || x.value === null || x.value === undefined) return "";
    const upper = x.value_max !== null && x.value_max !== undefined ? `–${x.value_max}` : "";
    const word = {about: "左右", at_least: "以上", at_most: "以内"}[x.qualifier] || "";
    return `${x.value}${upper}${x.unit || ""}${word}`;
  }

  function verdict(link, target) {
    return el("p", {class: "verdict-line"},
      el("span", {class: `verdict verdict-${link.verdict}`}, v(link.verdict)),
      " ", el("span", {class: "rule muted"}, luoshi.say(link.rule || "", {target: targetText(target), unit: target && target.unit})),
      link.gap !== null && link.gap !== undefined ? el("span", {class: "gap muted"}, ` · ${t("js:gap {gap}", {gap: link.gap})}`) : "");
  }

  function links(r) {
    const out = [];
    for (const link of r.links || []) {
      const box = el("section", {class: "linked"});
      if (r.kind === "target") {
        box.append(el("h3", {}, t("js:Result the next year")), verdict(link, r));
        if (link.result) {
          box.append(el("p", {class: "amount"}, amount(link.result)),
            el("blockquote", {}, link.result.evidence || ""),
            el("p", {}, docLink(link.new_document_id, link.result_id, t("js:in {document}", {document: link.new_document}))));
        } else {
          box.append(el("p", {class: "muted"}, t("js:No result for this indicator in "),
            docLink(link.new_document_id, null, link.new_document)));
        }
      } else {
        box.append(el("h3", {}, t("js:Target the year before")), verdict(link, link.target),
          el("p", {class: "amount"}, amount(link.target)),
          el("blockquote", {}, link.target.evidence || ""),
          el("p", {}, docLink(link.old_document_id, link.target_id, t("js:in {document}", {document: link.old_document}))));
      }
      out.push(box);
    }
    if (!out.length && r.type === "indicator" && r.kind === "target") {
      out.push(el("p", {class: "muted link-none"},
        t("js:Not linked: the next year's report is not stored, or this is not a one-year target.")));
    }
    return out;
  }

  // The records that cover the spot clicked: the marks around it (outermost first).
  function covering(mark) {
    const refs = [];
    for (let m = mark; m && text.contains(m); m = m.parentElement.closest("mark.rec")) refs.unshift(m.dataset.id);
    const r = byRef.get(mark.dataset.id);
    for (const inner of mark.querySelectorAll("mark.rec")) { // identical spans nest inside the first
      const o = byRef.get(inner.dataset.id);
      if (o && r && o.start === r.start && o.end === r.end) refs.push(inner.dataset.id);
    }
    return [...new Set(refs)];
  }

  function open(ref, here) {
    const r = byRef.get(ref);
    if (!r) return;
    for (const m of text.querySelectorAll("mark.current")) m.classList.remove("current");
    for (const m of marksOf(ref)) m.classList.add("current");
    const parts = [el("header", {class: "card-head"}, ...badges(r), el("h2", {}, name(r)))];
    if (here && here.length > 1) {
      const list = el("ul", {class: "covering"});
      for (const other of here) {
        const o = byRef.get(other);
        const b = el("button", {type: "button", class: "link" + (other === ref ? " on" : "")}, label(o));
        b.addEventListener("click", () => open(other, here));
        list.append(el("li", {}, b));
      }
      parts.push(el("p", {class: "muted"}, t("js:{n} records here:", {n: here.length})), list);
    }
    parts.push(fieldList(r), el("p", {class: "section"}, el("span", {class: "muted"}, t("js:section ")), r.section || "—"),
      el("blockquote", {class: "evidence"}, r.evidence || ""), ...links(r), ...luoshi.followParts(r));
    parts.push(tracking(r));
    if (editTools && r.id !== null && r.id !== undefined) parts.push(tools(r));
    else if (editTools) parts.push(el("p", {class: "muted edit"}, t("js:Added by a reviewer.")));
    parts.push(alertBox());
    body.replaceChildren(...parts);
    card.hidden = false;
    if (location.hash !== `#r${ref}`) history.replaceState(null, "", `#r${ref}`);
  }

  // Follow-up: the tracking item that follows this record (light, status, lead unit), or for
  // an editor a button that starts tracking a target or task.
  function tracking(r) {
    const item = r.id !== null && r.id !== undefined ? tracked[String(r.id)] : null;
    const box = el("div", {class: "tracking-line"});
    if (item) {
      box.append(el("span", {class: `light ${item.light}`, title: v(item.light)}), " ",
        el("a", {href: `/tracking/items/${item.id}`}, t("js:tracked: {status}", {status: v(item.status)})),
        item.lead_unit ? ` · ${item.lead_unit}` : "", item.deadline ? ` · ${t("js:due {deadline}", {deadline: item.deadline})}` : "",
        el("span", {class: "muted"}, ` (${luoshi.say(item.light_reason)})`));
    } else if (canTrack && r.id !== null && r.id !== undefined && (r.type === "task" || r.kind === "target")) {
      const b = el("button", {type: "button", class: "edit track"}, t("js:Track this"));
      b.addEventListener("click", async () => {
        try {
          const made = await luoshi.api("POST", "/tracking/items", {record_id: r.id});
          location.assign(`/tracking/items/${made.id}`);
        } catch (e) {
          showError(e);
        }
      });
      box.append(b);
    }
    return box;
  }

  function alertBox() {
    const box = el("p", {class: "alert", hidden: true});
    box.setAttribute("role", "alert");
    return box;
  }

  function close() {
    card.hidden = true;
    for (const m of text.querySelectorAll("mark.current")) m.classList.remove("current");
    history.replaceState(null, "", location.pathname + location.search);
  }

  function fromHash() {
    const m = /^#r(a?\d+)$/.exec(location.hash);
    const first = m && document.getElementById(`r${m[1]}`);
    if (!first) return;
    first.scrollIntoView({block: "center"});
    open(m[1], covering(first));
  }

  text.addEventListener("click", (e) => {
    const mark = e.target.closest("mark.rec");
    if (!mark || !getSelection().isCollapsed) return;
    open(mark.dataset.id, covering(mark));
  });
  card.querySelector(".close").addEventListener("click", close);
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && !card.hidden) close(); });
  window.addEventListener("hashchange", fromHash);
  fromHash();

  if (!editTools) return;

  // ---- editing (editors only) ----
  function showError(e) {
    const box = body.querySelector(".alert");
    box.textContent = e.message || String(e);
    box.hidden = false;
  }

  async function send(url, payload, hash) {
    try {
      const answer = await luoshi.api("POST", url, payload);
      history.replaceState(null, "", hash(answer));
      location.reload();
    } catch (e) {
      showError(e);
    }
  }

  function input(field, value) {
    const id = `f-${field}`;
    let control;
    if (CHOICES[field]) {
      control = el("select", {name: field, id});
      if (NULLABLE.includes(field) || blank(value)) control.append(el("option", {value: ""}, "—"));
      for (const c of CHOICES[field]) control.append(el("option", {value: c, selected: c === value}, v(c)));
    } else if (field === "estimated") {
      control = el("input", {type: "checkbox", name: field, id, checked: Boolean(value)});
    } else {
      control = el("input", {type: NUMBERS.includes(field) ? "number" : "text", name: field, id,
        value: value === null || value === undefined ? "" : String(value)});
      if (NUMBERS.includes(field)) control.step = "any";
      if (field === "topic") control.setAttribute("list", "topic-ids");
    }
    return el("label", {class: `field field-${field}`}, el("span", {}, t(`js:field ${field}`)), control);
  }

  function read(form, field) {
    const c = form.elements[field];
    if (field === "estimated") return c.checked;
    const v = c.value.trim();
    if (NUMBERS.includes(field)) {
      if (v === "") return null;
      const n = Number(v);
      if (!Number.isFinite(n) || (field === "year" && !Number.isInteger(n))) {
        throw new Error(t("js:{field} must be a number", {field: t(`js:field ${field}`)}));
      }
      return n;
    }
    if (v === "" && (NULLABLE.includes(field) || CHOICES[field])) return null;
    return v;
  }

  function form(title, fields, values, submitLabel, onSubmit) {
    const f = el("form", {class: "stack edit-form edit"}, el("h3", {}, title));
    for (const k of fields) f.append(input(k, values[k]));
    f.append(el("label", {class: "field"}, el("span", {}, t("js:field note")), el("input", {type: "text", name: "note"})),
      el("p", {}, el("button", {type: "submit", class: "edit"}, submitLabel), " ",
        el("button", {type: "button", class: "edit cancel"}, t("js:Cancel"))));
    f.querySelector(".cancel").addEventListener("click", () => f.remove());
    f.addEventListener("submit", (e) => {
      e.preventDefault();
      try {
        onSubmit(f, f.elements.note.value.trim() || null);
      } catch (err) {
        showError(err);
      }
    });
    return f;
  }

  function tools(r) {
    const box = editTools.content.firstElementChild.cloneNode(true);
    const fix = box.querySelector('[data-action="fix"]');
    const reject = box.querySelector('[data-action="reject"]');
    const hash = () => `#r${r.ref}`;
    fix.addEventListener("click", () => {
      body.querySelector(".edit-form")?.remove();
      const fields = EDITABLE[r.type];
      box.after(form(t("js:Fix {name}", {name: name(r)}), fields, r, t("js:Save fix"), (f, note) => {
        const changed = {};
        for (const k of fields) {
          const value = read(f, k);
          if (value !== (r[k] ?? (k === "estimated" ? false : null))) changed[k] = value;
        }
        if (!Object.keys(changed).length) throw new Error(t("js:nothing changed"));
        send(`/api/records/${r.id}/fix`, {fields: changed, note}, hash);
      }));
    });
    if (r.correction === "rejected") reject.remove();
    reject.addEventListener("click", () => {
      body.querySelector(".edit-form")?.remove();
      box.after(form(t("js:Reject {name}", {name: name(r)}), [], {}, t("js:Reject this record"), (f, note) =>
        send(`/api/records/${r.id}/reject`, {note}, hash)));
    });
    return box;
  }

  // A DOM point inside #text as an offset into the cleaned text: each paragraph knows where it
  // starts, and its text is exactly the cleaned text there.
  function offsetAt(node, offset) {
    const p = (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement)?.closest("#text > p");
    if (!p) return null;
    const range = document.createRange();
    range.setStart(p, 0);
    range.setEnd(node, offset);
    return {p, at: Number(p.dataset.start) + range.toString().length};
  }

  let selected = null;
  function onSelect() {
    const sel = getSelection();
    selected = null;
    addButton.hidden = true;
    if (!sel.rangeCount || sel.isCollapsed) return;
    const range = sel.getRangeAt(0);
    const a = offsetAt(range.startContainer, range.startOffset);
    const b = offsetAt(range.endContainer, range.endOffset);
    if (!a || !b || a.p !== b.p || b.at <= a.at) return; // within one paragraph only
    const from = Number(a.p.dataset.start);
    selected = {start: a.at, end: b.at, evidence: a.p.textContent.slice(a.at - from, b.at - from)};
    const box = range.getBoundingClientRect();
    addButton.style.top = `${window.scrollY + box.bottom + 6}px`;
    addButton.style.left = `${window.scrollX + box.left}px`;
    addButton.hidden = false;
  }
  text.addEventListener("mouseup", () => setTimeout(onSelect, 0));
  text.addEventListener("keyup", onSelect);
  addButton.addEventListener("mousedown", (e) => e.preventDefault()); // keep the selection

  function partAt(at) {
    return data.sections.find((s) => s.kind === "part" && s.start <= at && at < s.end);
  }

  function addForm(span) {
    const part = partAt(span.start);
    const kind = part && part.role === "review" ? "result" : "target";
    const values = {type: "indicator", kind, year: (part && part.year) || data.document.year, qualifier: "exact",
      measure: "quantity", estimated: false, action: "advance"};
    const draw = (type) => {
      values.type = type;
      const fields = ["type", ...EDITABLE[type].filter((k) => k !== "topic")];
      const f = form(t("js:Add a record"), fields, values, t("js:Add record"), (ff, note) => {
        const out = {type, start: span.start, end: span.end, evidence: span.evidence};
        for (const k of fields.slice(1)) {
          const value = read(ff, k);
          if (value !== null) out[k] = value;
        }
        send(`/api/documents/${data.document.id}/records`, {fields: out, note},
          (answer) => `#ra${Number(answer.correction_id)}`);
      });
      f.insertBefore(el("blockquote", {class: "evidence"}, span.evidence), f.children[1]);
      f.insertBefore(el("p", {class: "muted"}, t("js:offsets {start}–{end}", {start: span.start, end: span.end})), f.children[2]);
      f.elements.type.addEventListener("change", (e) => { // keep what was typed in the fields both types have
        for (const k of EDITABLE[type]) {
          try { if (f.elements[k]) values[k] = read(f, k) ?? values[k]; } catch (err) { /* left as it was */ }
        }
        f.replaceWith(draw(e.target.value));
      });
      return f;
    };
    for (const m of text.querySelectorAll("mark.current")) m.classList.remove("current");
    body.replaceChildren(el("header", {class: "card-head"}, el("h2", {}, t("js:New record"))), draw("indicator"),
      alertBox());
    card.hidden = false;
  }

  addButton.addEventListener("click", () => {
    if (!selected) return;
    addButton.hidden = true;
    addForm(selected);
  });
})();
