// luoshi: small helpers shared by every page (no framework, no network beyond this server).
"use strict";
window.luoshi = {
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
