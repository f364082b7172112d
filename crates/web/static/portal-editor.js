// The portal's body editor (issue 11), written by hand: no third-party
// script. Progressive enhancement: without JavaScript the page shows the
// HTML textarea, which works on its own. With it, the textarea is hidden,
// an editable area and a small toolbar take its place, and the area's HTML
// is copied back into the textarea when the form is sent. The server
// sanitises whatever arrives; nothing here is trusted.
(function () {
  "use strict";
  var rich = document.getElementById("rich-body");
  if (!rich) { return; }
  var source = document.getElementById(rich.getAttribute("data-for"));
  var form = source && source.form;
  if (!form || typeof document.execCommand !== "function") { return; }

  function command(name, value) {
    rich.focus();
    document.execCommand(name, false, value === undefined ? null : value);
  }

  // Wraps the selected text in <span lang="km"> (a Khmer passage inside a
  // Vietnamese article: screen readers and fonts need to know).
  function markKhmer() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return; }
    var range = selection.getRangeAt(0);
    if (!rich.contains(range.commonAncestorContainer)) { return; }
    var span = document.createElement("span");
    span.setAttribute("lang", "km");
    span.appendChild(range.extractContents());
    range.insertNode(span);
  }

  function addLink() {
    var url = window.prompt("Địa chỉ liên kết (https://… hoặc /…):", "https://");
    if (url) { command("createLink", url); }
  }

  // The <img> of the picture just uploaded (shown on the page after an
  // upload), or one typed in.
  function insertImage() {
    var shown = document.getElementById("image-tag");
    var tag = shown ? shown.textContent : "";
    if (!tag) {
      window.alert("Hãy tải ảnh lên trước (biểu mẫu «Tải ảnh lên» bên dưới).");
      return;
    }
    command("insertHTML", tag);
  }

  var tools = [
    ["Đậm", function () { command("bold"); }],
    ["Nghiêng", function () { command("italic"); }],
    ["Tiêu đề 2", function () { command("formatBlock", "h2"); }],
    ["Tiêu đề 3", function () { command("formatBlock", "h3"); }],
    ["Đoạn văn", function () { command("formatBlock", "p"); }],
    ["Danh sách", function () { command("insertUnorderedList"); }],
    ["Danh sách số", function () { command("insertOrderedList"); }],
    ["Liên kết", addLink],
    ["Trích dẫn", function () { command("formatBlock", "blockquote"); }],
    ["Chèn ảnh", insertImage],
    ["Tiếng Khmer", markKhmer]
  ];

  var bar = document.createElement("div");
  bar.className = "rich-toolbar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Định dạng nội dung");
  tools.forEach(function (tool) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = tool[0];
    // Keep the selection in the editable area when the button is pressed.
    button.addEventListener("mousedown", function (e) { e.preventDefault(); });
    button.addEventListener("click", tool[1]);
    bar.appendChild(button);
  });

  rich.contentEditable = "true";
  rich.setAttribute("role", "textbox");
  rich.setAttribute("aria-multiline", "true");
  rich.setAttribute("aria-label", "Nội dung");
  rich.parentNode.insertBefore(bar, rich);
  rich.hidden = false;
  source.hidden = true;
  form.addEventListener("submit", function () { source.value = rich.innerHTML; });

  // The fields follow the chosen language, so Khmer is typed and shown as
  // Khmer (fonts, spell checking, screen readers).
  var language = document.getElementById("language");
  if (language) {
    language.addEventListener("change", function () {
      ["title", "summary", "tags", "body_html", "rich-body"].forEach(function (id) {
        var field = document.getElementById(id);
        if (field) { field.setAttribute("lang", language.value); }
      });
    });
  }
}());
