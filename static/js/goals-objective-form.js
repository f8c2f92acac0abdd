/* Objective form: add key results, show the fields a key result's direction needs, and
   pre-fill unit and direction from a KPI. The form works without this script (every field
   shows; save the draft to get another empty key result). */
(function () {
  "use strict";

  function form() {
    return document.getElementById("objective-form");
  }

  function showDirection(fieldset) {
    var select = fieldset.querySelector("select[name$='-direction']");
    if (select) {
      fieldset.setAttribute("data-direction", select.value);
    }
  }

  function markRemoved(fieldset) {
    var box = fieldset.querySelector("input[name$='-DELETE']");
    fieldset.classList.toggle("objkr-removed", Boolean(box && box.checked));
  }

  function addKeyResult() {
    var total = document.querySelector("input[name='kr-TOTAL_FORMS']");
    var template = document.getElementById("kr-empty-form");
    var list = document.querySelector("[data-kr-forms]");
    var max = document.querySelector("input[name='kr-MAX_NUM_FORMS']");
    if (!total || !template || !list) {
      return;
    }
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) {
      return;
    }
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var fieldset = holder.firstElementChild;
    var legend = fieldset.querySelector("legend");
    if (legend && list.dataset.numberLabel) {
      legend.textContent = list.dataset.numberLabel.replace("%(number)s", String(index + 1));
    }
    list.appendChild(fieldset);
    total.value = String(index + 1);
    showDirection(fieldset);
    if (window.htmx) {
      window.htmx.process(fieldset);
    }
    var title = fieldset.querySelector("input[name$='-title']");
    if (title) {
      title.focus();
    }
  }

  function prefillFromKpi(select) {
    var option = select.options[select.selectedIndex];
    var fieldset = select.closest("[data-kr-form]");
    if (!option || !fieldset || !option.value) {
      return;
    }
    var unit = fieldset.querySelector("input[name$='-unit']");
    if (unit && !unit.value && option.dataset.unit) {
      unit.value = option.dataset.unit;
    }
    var unitEn = fieldset.querySelector("input[name$='-unit_en']");
    if (unitEn && !unitEn.value && option.dataset.unitEn) {
      unitEn.value = option.dataset.unitEn;
    }
    var direction = fieldset.querySelector("select[name$='-direction']");
    if (direction && option.dataset.direction && direction.value !== option.dataset.direction) {
      direction.value = option.dataset.direction;
      // Let the SMART check (listening for changes on the form) see the new direction.
      direction.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  // The aligned-to picker: a search box hides the options (and groups) that don't match.
  function filterSelect(input) {
    var select = document.getElementById(input.dataset.selectFilter);
    if (!select) {
      return;
    }
    var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    Array.prototype.forEach.call(select.options, function (option) {
      var text = option.textContent.toLowerCase();
      option.hidden = Boolean(option.value) && !words.every(function (word) { return text.indexOf(word) !== -1; });
    });
    select.querySelectorAll("optgroup").forEach(function (group) {
      group.hidden = !Array.prototype.some.call(group.children, function (option) { return !option.hidden; });
    });
  }

  function showParentSearch() {
    document.querySelectorAll("[data-parent-search]").forEach(function (box) {
      box.hidden = false;
    });
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-select-filter]")) {
      event.stopPropagation(); // typing a search is not a change of the objective (no SMART re-check)
      filterSelect(event.target);
    }
  }, true);
  document.addEventListener("htmx:afterSettle", showParentSearch);

  function setUp() {
    showParentSearch();
    var objectiveForm = form();
    if (!objectiveForm) {
      return;
    }
    objectiveForm.querySelectorAll("[data-kr-form]").forEach(function (fieldset) {
      showDirection(fieldset);
      markRemoved(fieldset);
    });
    var add = objectiveForm.querySelector("[data-kr-add]");
    if (add) {
      add.hidden = false;
      add.addEventListener("click", addKeyResult);
    }
    objectiveForm.addEventListener("change", function (event) {
      var target = event.target;
      var fieldset = target.closest ? target.closest("[data-kr-form]") : null;
      if (!fieldset) {
        return;
      }
      if (target.matches("select[name$='-kpi']")) {
        prefillFromKpi(target);
      }
      if (target.matches("select[name$='-direction']")) {
        showDirection(fieldset);
      }
      if (target.matches("input[name$='-DELETE']")) {
        markRemoved(fieldset);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
