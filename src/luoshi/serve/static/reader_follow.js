// luoshi reader: follow-through of planned projects on a task's card (what the next year's report
// says of a task this report planned; the task of the year before a record here answers), and
// #at<start>-<end> links, which show a span of the text that is no record (a project named in
// a sentence).  Loaded before reader.js, which puts luoshi.followParts(r) on the card.  Report
// text only ever becomes DOM text nodes (luoshi.el).
"use strict";
(() => {
  const el = luoshi.el, t = luoshi.t, v = luoshi.v;
  const text = document.getElementById("text");
  const blank = (x) => x === null || x === undefined || x === "";

  // a place in a report: a record's card (#r<id>) when one holds it, else the span (#at<start>-<end>)
  function spot(documentId, recordId, start, end, words) {
    let hash = "";
    if (!blank(recordId)) hash = `#r${Number(recordId)}`;
    else if (Number.isInteger(start) && Number.isInteger(end)) hash = `#at${start}-${end}`;
    return el("a", {href: `/documents/${Number(documentId)}${hash}`}, words);
  }

  function badges(f) {
    return el("p", {class: "verdict-line"},
      el("span", {class: `badge follow-${f.status}`}, v(f.status, "follow")), " ",
      el("span", {class: "muted"}, t("js:against the promise")), " ",
      el("span", {class: `badge progress-${f.progress}`}, v(f.progress, "progress")));
  }

  // what the next year's report says of this planned task
  function answer(f) {
    const box = el("section", {class: "linked follow"}, el("h3", {}, t("js:In the next year's report")), badges(f));
    if (f.status === "not_mentioned") {
      box.append(el("p", {class: "muted"}, t("js:The next year's report does not name this project: "),
        spot(f.new_document_id, null, null, null, f.new_title || f.new_document)));
      return box;
    }
    box.append(el("blockquote", {}, f.found_evidence || "",
      f.found_part === "plan" ? el("span", {class: "muted"}, ` ${t("js:(in its plan)")}`) : ""),
    el("p", {}, spot(f.new_document_id, f.found_id, f.found_start, f.found_end,
      t("js:in {document}", {document: f.new_title || f.new_document}))));
    return box;
  }

  // the task of the year before that this record answers
  function question(f) {
    return el("section", {class: "linked follow"}, el("h3", {}, t("js:Planned the year before")), badges(f),
      el("p", {class: "amount"}, `${v(f.action) || ""} ${f.object || ""}`),
      el("blockquote", {}, f.task_evidence || ""),
      el("p", {}, spot(f.old_document_id, f.task_id, f.task_start, f.task_end,
        t("js:in {document}", {document: f.old_title || f.old_document}))));
  }

  luoshi.followParts = (r) => (r.follow || []).map((f) => (f.side === "task" ? answer(f) : question(f)));

  // #at<start>-<end>: the paragraph holding the span scrolled to, the span highlighted
  function showSpan() {
    const m = /^#at(\d+)-(\d+)$/.exec(location.hash);
    for (const p of text.querySelectorAll("p.spot")) p.classList.remove("spot");
    if (!m) return;
    const start = Number(m[1]), end = Number(m[2]);
    const p = [...text.querySelectorAll(":scope > p")].find(
      (x) => Number(x.dataset.start) <= start && start < Number(x.dataset.end));
    if (!p) return;
    p.classList.add("spot");
    p.scrollIntoView({block: "center"});
    if (!window.CSS || !CSS.highlights || typeof Highlight === "undefined") return;
    const range = rangeIn(p, start - Number(p.dataset.start), Math.min(end, Number(p.dataset.end)) - Number(p.dataset.start));
    if (range) CSS.highlights.set("luoshi-spot", new Highlight(range));
  }

  // a DOM range over characters [a, b) of a paragraph's text (its text is the report's there)
  function rangeIn(p, a, b) {
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let at = 0, started = false;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const next = at + node.length;
      if (!started && a < next) {
        range.setStart(node, a - at);
        started = true;
      }
      if (started && b <= next) {
        range.setEnd(node, b - at);
        return range;
      }
      at = next;
    }
    return null;
  }

  window.addEventListener("hashchange", showSpan);
  showSpan();
})();
