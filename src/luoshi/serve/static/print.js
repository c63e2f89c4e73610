// The printable tracking sheet: its Print button (no inline handlers: the app's CSP allows none).
document.getElementById("print").addEventListener("click", () => window.print());
