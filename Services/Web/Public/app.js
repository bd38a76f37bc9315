// A little help where it matters; every page works without it.
document.addEventListener("DOMContentLoaded", () => {
  // Keep a form from being sent twice by an impatient double click.
  for (const form of document.querySelectorAll("form")) {
    form.addEventListener("submit", () => {
      for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = true;
    });
  }
});
