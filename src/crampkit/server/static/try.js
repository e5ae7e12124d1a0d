// crampkit's try-it page: the one script, and the page works without it.
// It shows the pregnancy fields and the months of a young child's age only when they apply
// (or hold a value, so that nothing typed is hidden), and copies the JSON blocks.
"use strict";

(function () {
  const form = document.getElementById("profile-form");

  function numberIn(name) {
    const control = form.elements.namedItem(name);
    return control && control.value !== "" ? Number(control.value) : null;
  }

  function valueOf(name) {
    const control = form.elements.namedItem(name);
    return control ? control.value : "";
  }

  function applies(rule) {
    const age = numberIn("age");
    if (rule === "age-months") {
      return age !== null && age < Number(form.dataset.monthsBelow);
    }
    const childbearing =
      age === null ||
      (age >= Number(form.dataset.childbearingFrom) && age <= Number(form.dataset.childbearingTo));
    const pregnancy = valueOf("sex") !== "male" && childbearing;
    if (rule === "pregnancy") {
      return pregnancy;
    }
    return pregnancy && valueOf("pregnant") === "true";
  }

  function holdsValue(part) {
    return Array.from(part.querySelectorAll("input, select, textarea")).some(function (control) {
      return control.value !== "";
    });
  }

  function update() {
    form.querySelectorAll("[data-applies]").forEach(function (part) {
      part.hidden = !(applies(part.dataset.applies) || holdsValue(part));
    });
  }

  if (form) {
    update();
    form.addEventListener("input", update);
    form.addEventListener("change", update);
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    const target = document.getElementById(button.dataset.copy);
    const status = button.nextElementSibling;
    button.hidden = false;
    button.addEventListener("click", function () {
      const text = target.textContent.replace(/^\n/, "");
      const selectIt = function () {
        const range = document.createRange();
        range.selectNodeContents(target);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        status.textContent = button.dataset.select;
      };
      if (!navigator.clipboard) {
        selectIt();
        return;
      }
      navigator.clipboard.writeText(text).then(function () {
        status.textContent = button.dataset.copied;
      }, selectIt);
    });
  });
})();
