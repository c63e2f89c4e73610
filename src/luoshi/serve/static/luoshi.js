// luoshi: small helpers shared by every page (no framework, no network beyond this server).
"use strict";
const I18N = (() => {
  const block = document.getElementById("i18n");
  try { return block ? JSON.parse(block.textContent) : {}; } catch (e) { return {}; }
})();
window.luoshi = {
  // a message in the page's language (the catalog's "js:" messages and machine values, from
  // the server; English when none): t("js:gap {gap}", {gap: 1}) fills {names}
  t(message, values) {
    let out = I18N[message] ?? message.replace(/^(js:(field )?|topic:)/, "");
    for (const [k, v] of Object.entries(values || {})) out = out.split(`{${k}}`).join(String(v));
    return out;
  },
  // a sentence the server wrote in English (a rule, a light's reason), by locale/patterns.tsv
  // as i18n.sentence does: say("about: needs ≥ 5.225", {target: "5.5%左右", unit: "%"})
  say(text, extra) {
    if (!text || typeof text !== "string") return text;
    if (I18N[text]) return I18N[text];
    for (const [source, form] of I18N.__patterns__ || []) {
      const m = new RegExp(`^(?:${source})$`).exec(text);
      if (!m) continue;
      const fields = {target: "", unit: "", ...(extra || {})};
      const words = I18N.__words__ || [];
      for (const [k, g] of Object.entries(m.groups || {})) fields[k] = g ? (words.includes(k) ? luoshi.say(g) : g) : "";
      if (/^\d+$/.test(fields.year || "")) fields.next_year = String(Number(fields.year) + 1);
      return form.replace(/\{(\w+)\}/g, (_, k) => fields[k] ?? "").replace("目标 ：", "目标：");
    }
    return I18N[text] ?? text;
  },
  // a machine value (met, at_least, on_track…) as a person reads it; a family (follow,
  // progress) reads it in that vocabulary, as i18n.value does: v("on_track", "progress")
  v(word, family) {
    if (word === null || word === undefined || word === "") return word;
    return I18N[family ? `${family}:${word}` : String(word)] ?? String(word).replace(/_/g, " ");
  },
  csrf() {
    const m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.content : "";
  },
  // fetch JSON from this server; changes carry the CSRF token; errors become exceptions with
  // the server's message (every error has the shape {"error": {status, code, message}}).
  async api(method, url, body) {
    const options = {method, headers: {"Accept": "application/json"}, credentials: "same-origin"};
    if (method !== "GET") options.headers["X-CSRF-Token"] = luoshi.csrf();
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const e = new Error((data.error && data.error.message) || response.statusText);
      e.status = response.status;
      e.data = data;
      throw e;
    }
    return data;
  },
  // text content only: report text never becomes markup
  el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k.startsWith("data-")) node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
    return node;
  },
};

// the header's menu on narrow screens
(() => {
  const toggle = document.querySelector("header.top .menu-toggle");
  const menu = document.getElementById("menu");
  if (!toggle || !menu) return;
  toggle.addEventListener("click", () => {
    const open = menu.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
