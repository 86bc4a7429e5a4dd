// ptrdesk: small progressive enhancements; every page works without this file.
"use strict";

// Mark a PTR row whose field differs from what was loaded, so unsaved edits stand out.
document.addEventListener("input", (event) => {
  const field = event.target;
  if (!(field instanceof HTMLInputElement) || field.name !== "hostname") return;
  const row = field.closest(".ptr-row");
  if (row) row.classList.toggle("dirty", field.value !== field.defaultValue);
});
