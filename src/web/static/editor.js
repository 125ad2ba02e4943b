// Editor niceties; the editor works without them. Completes the tag being typed from the tags
// already in use.
(() => {
  const input = document.getElementById("tags");
  const list = document.getElementById("known-tags");
  if (!input || !list) return;
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
})();
