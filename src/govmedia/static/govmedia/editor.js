/* The draft form's rich-text body and its reprint fields. No inline script (CSP script-src 'self').
 *
 * A contenteditable area with a small toolbar (document.execCommand) replaces the body's <textarea>, which keeps
 * the HTML the form submits; without JavaScript the textarea is edited directly. The server sanitises the HTML
 * (publishing.content.sanitize) whatever arrives, so this file only has to produce tidy paragraphs.
 */
(function () {
  "use strict";

  var BLOCKS = ["P", "H2", "H3", "H4", "UL", "OL", "BLOCKQUOTE", "TABLE", "FIGURE", "HR"];
  var LINK_SCHEMES = /^(https?:|mailto:)/i;

  // Blocks the sanitiser would unwrap (div) become paragraphs; loose text at the top level is wrapped in one.
  function tidy(root) {
    root.querySelectorAll("div").forEach(function (div) {
      var p = document.createElement("p");
      while (div.firstChild) { p.appendChild(div.firstChild); }
      div.replaceWith(p);
    });
    var group = null;
    Array.prototype.slice.call(root.childNodes).forEach(function (node) {
      if (node.nodeType === 1 && BLOCKS.indexOf(node.tagName) >= 0) { group = null; return; }
      if (node.nodeType === 3 && !node.textContent.trim() && !group) { node.remove(); return; }
      if (!group) { group = document.createElement("p"); root.insertBefore(group, node); }
      group.appendChild(node);
    });
    return root;
  }

  function htmlOf(area) {
    if (!area.textContent.trim() && !area.querySelector("img")) { return ""; }
    return tidy(area.cloneNode(true)).innerHTML;
  }

  function escapeText(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  function setUp(editor) {
    var source = document.getElementById(editor.dataset.editorFor);
    if (!source) { return; }
    var area = editor.querySelector(".gm-editor-area");
    var linkBar = editor.querySelector(".gm-editor-link");
    var linkInput = linkBar.querySelector("input");
    var savedRange = null;

    var template = document.createElement("template");
    template.innerHTML = source.value.trim() || "<p><br></p>";
    area.appendChild(template.content);
    editor.hidden = false;
    source.hidden = true;
    document.execCommand("defaultParagraphSeparator", false, "p");

    function sync() { source.value = htmlOf(area); }

    function run(command, value) {
      area.focus();
      document.execCommand(command, false, value === undefined ? null : value);
      sync();
      refresh();
    }

    function refresh() {
      editor.querySelectorAll("[data-command=bold],[data-command=italic]").forEach(function (button) {
        var on = false;
        try { on = document.queryCommandState(button.dataset.command); } catch (e) { on = false; }
        button.classList.toggle("active", on);
        button.setAttribute("aria-pressed", on ? "true" : "false");
      });
    }

    editor.querySelectorAll("[data-command]").forEach(function (button) {
      // Keep the selection in the text while the button is pressed.
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });
      button.addEventListener("click", function () {
        var command = button.dataset.command;
        if (command === "createLink") {
          var selection = window.getSelection();
          savedRange = selection.rangeCount ? selection.getRangeAt(0).cloneRange() : null;
          linkBar.hidden = false;
          linkInput.value = "";
          linkInput.focus();
          return;
        }
        run(command, command === "formatBlock" ? "<" + button.dataset.value + ">" : undefined);
      });
    });

    function closeLink() { linkBar.hidden = true; savedRange = null; area.focus(); }

    function applyLink() {
      var url = linkInput.value.trim();
      if (!LINK_SCHEMES.test(url)) { linkInput.classList.add("is-invalid"); return; }
      linkInput.classList.remove("is-invalid");
      area.focus();
      if (savedRange) {
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(savedRange);
      }
      if (savedRange && !savedRange.collapsed) {
        run("createLink", url);
      } else {
        run("insertHTML", '<a href="' + escapeText(url).replace(/"/g, "&quot;") + '">' + escapeText(url) + "</a>");
      }
      closeLink();
    }

    linkBar.querySelector("[data-link=apply]").addEventListener("click", applyLink);
    linkBar.querySelector("[data-link=cancel]").addEventListener("click", closeLink);
    linkInput.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); applyLink(); }
      if (event.key === "Escape") { event.preventDefault(); closeLink(); }
    });

    // Pasted text arrives as plain paragraphs: styles copied from Word or web pages stay out of the draft.
    area.addEventListener("paste", function (event) {
      var text = (event.clipboardData || window.clipboardData).getData("text/plain");
      event.preventDefault();
      var lines = text.split(/\r?\n/).filter(function (line) { return line.trim(); });
      if (lines.length <= 1) {
        document.execCommand("insertText", false, text.trim());
      } else {
        document.execCommand("insertHTML", false, lines.map(function (line) {
          return "<p>" + escapeText(line) + "</p>";
        }).join(""));
      }
      sync();
    });

    area.addEventListener("input", sync);
    area.addEventListener("keyup", refresh);
    area.addEventListener("mouseup", refresh);
    if (source.form) { source.form.addEventListener("submit", sync); }
    sync();
  }

  // Radio buttons with data-toggles="<id>" show that block only for the value in its data-shown-when.
  function setUpToggles() {
    var radios = document.querySelectorAll("input[data-toggles]");
    radios.forEach(function (radio) {
      var block = document.getElementById(radio.dataset.toggles);
      if (!block) { return; }
      function apply() {
        var checked = document.querySelector('input[name="' + radio.name + '"]:checked');
        block.hidden = !checked || checked.value !== block.dataset.shownWhen;
      }
      radio.addEventListener("change", apply);
      apply();
    });
  }

  document.querySelectorAll(".gm-editor[data-editor-for]").forEach(setUp);
  setUpToggles();
})();
