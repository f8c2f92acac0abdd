/* Stride: the little JavaScript every page needs. htmx does the rest. */
(function () {
  "use strict";

  function setUpMenu() {
    var header = document.querySelector(".site-header");
    var toggle = document.querySelector(".menu-toggle");
    if (!header || !toggle) {
      return;
    }
    toggle.addEventListener("click", function () {
      var open = header.classList.toggle("is-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("is-open")) {
        header.classList.remove("is-open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }

  // htmx sends the CSRF token from <body hx-headers>; this covers requests started from
  // fragments swapped in later, and pages that set no hx-headers.
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // "Expand all" / "Collapse all" buttons for <details> trees: data-tree="open|close".
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-tree]") : null;
    if (!button) {
      return;
    }
    var scope = button.closest(".card") || document;
    var open = button.getAttribute("data-tree") === "open";
    scope.querySelectorAll("details").forEach(function (details) {
      details.open = open;
    });
    scope.querySelectorAll(".cascade-toggle").forEach(function (toggle) {
      setExpanded(toggle, open);
    });
  });

  // Disclosure buttons of the cascade: aria-expanded on the button, `hidden` on what it controls.
  function setExpanded(toggle, open) {
    var target = document.getElementById(toggle.getAttribute("aria-controls"));
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (target) {
      target.hidden = !open;
      // a row whose aligned objectives were not sent with the page loads them the first time it opens
      if (open && target.hasAttribute("hx-get") && window.htmx) {
        window.htmx.trigger(target, "cascade-open");
      }
    }
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest ? event.target.closest(".cascade-toggle") : null;
    if (toggle) {
      setExpanded(toggle, toggle.getAttribute("aria-expanded") !== "true");
    }
  });

  // Copy buttons: data-copy="#input-id" copies that input's value, then the button says data-copied.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy]") : null;
    if (!button) {
      return;
    }
    var input = document.querySelector(button.getAttribute("data-copy"));
    input.select();
    var done = function () {
      button.textContent = button.getAttribute("data-copied");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done);
    } else if (document.execCommand("copy")) {
      done();
    }
  });

  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.headers["X-CSRFToken"]) {
      event.detail.headers["X-CSRFToken"] = csrfToken();
    }
  });

  // A chart wider than a phone scrolls sideways: start at its right end, where the latest points are.
  function showLatestOfCharts(root) {
    (root || document).querySelectorAll(".kr-chart-wrap").forEach(function (wrap) {
      wrap.scrollLeft = wrap.scrollWidth;
    });
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    showLatestOfCharts(event.target);
  });

  function setUp() {
    setUpMenu();
    showLatestOfCharts();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
