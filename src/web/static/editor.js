// Editor niceties; the editor works without them: tag completion, a live preview as one types,
// Ctrl/Cmd+Enter to publish, Enter that never submits from a one-line field, and a delete
// confirmation in place.
(() => {
  const form = document.querySelector("form.editor");
  if (!form) return;

  const input = document.getElementById("tags");
  const list = document.getElementById("known-tags");
  if (input && list) {
    const known = [...list.options].map((option) => option.value);
    input.addEventListener("input", () => {
      const words = input.value.split(/\s+/);
      const current = (words.pop() || "").toLowerCase();
      const prefix = words.length ? words.join(" ") + " " : "";
      list.replaceChildren(
        ...known
          .filter((tag) => current && tag.startsWith(current) && !words.includes(tag))
          .slice(0, 20)
          .map((tag) => new Option(prefix + tag + " ")),
      );
    });
  }

  const publish = form.querySelector("button[value=save]");
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      form.requestSubmit(publish);
    } else if (event.target instanceof HTMLInputElement) {
      // Without this, Enter would press the form's first button.
      event.preventDefault();
    }
  });

  const panel = document.getElementById("preview");
  const endpoint = form.dataset.preview;
  if (panel && endpoint) {
    let timer = 0;
    let latest = 0;
    const refresh = async () => {
      const asked = ++latest;
      const body = new URLSearchParams(new FormData(form));
      try {
        const response = await fetch(endpoint, { method: "POST", body, credentials: "same-origin" });
        if (!response.ok || asked !== latest) return;
        const html = await response.text();
        if (asked === latest) panel.innerHTML = html;
      } catch {
        // Offline for a moment: the next keystroke asks again.
      }
    };
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    };
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    if (panel.childElementCount === 0) refresh();
  }

  const dialog = document.getElementById("delete-dialog");
  const deleteLink = form.querySelector("a.delete-link");
  if (dialog && deleteLink && typeof dialog.showModal === "function") {
    deleteLink.addEventListener("click", (event) => {
      event.preventDefault();
      dialog.showModal();
    });
    for (const button of dialog.querySelectorAll("[data-close-dialog]")) button.addEventListener("click", () => dialog.close());
  }
})();
