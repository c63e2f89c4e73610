// The corrections list: undo a correction (editors).
document.querySelectorAll("button.undo").forEach((b) => b.addEventListener("click", async () => {
  if (!confirm(luoshi.t("js:Undo this correction?"))) return;
  try {
    await luoshi.api("DELETE", "/api/corrections/" + b.dataset.id);
    b.closest("tr").remove();
  } catch (e) {
    alert(e.message);
  }
}));
