// Reflection tasks: a small editor with bold, italics, lists and links, drafts saved as the learner
// types, and a live word count. Handing in is checked here first (an empty or too short answer
// shows its error at the field, which gets focus) and then sent without leaving the page; the
// module's status follows (module-state.js). Without JavaScript the plain textarea is used and the
// server shows its errors at the field; the server cleans and checks whatever arrives, so nothing
// here is a security boundary.
(function () {
  "use strict";
  var lang = document.documentElement.lang;
  var t = lang === "en"
    ? { bold: "Bold", italic: "Italic", ul: "Bulleted list", ol: "Numbered list", link: "Link", linkPrompt: "Web address (https://…)", toolbar: "Formatting", words: "Words: ", min: " (at least ", close: ")" }
    : { bold: "Fet", italic: "Kursiv", ul: "Punktliste", ol: "Nummerert liste", link: "Lenke", linkPrompt: "Nettadresse (https://…)", toolbar: "Formatering", words: "Antall ord: ", min: " (minst ", close: ")" };

  function countWords(text) {
    var words = text.trim().split(/\s+/).filter(Boolean);
    return words.length;
  }

  document.querySelectorAll("[data-reflection-form]").forEach(function (form) {
    var textarea = form.querySelector("textarea");
    var template = form.querySelector("template[data-initial-html]");
    var formatInput = form.querySelector("input[name=format]");
    var htmlInput = form.querySelector("input[name=html]");
    var counter = form.querySelector("[data-word-count]");
    var status = form.querySelector("[data-save-status]");
    var minWords = parseInt(form.dataset.minWords || "0", 10);
    var errorNode = form.querySelector("[data-reflection-error]");
    var submitButton = form.querySelector("button[name=action][value=submit]");

    var editor = document.createElement("div");
    editor.className = "rich-editor";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    var label = form.querySelector("label[for='" + textarea.id + "']");
    label.id = textarea.id + "-label";
    editor.setAttribute("aria-labelledby", label.id);
    // The label points at the hidden textarea; send its clicks to the editor instead.
    label.addEventListener("click", function (event) { event.preventDefault(); editor.focus(); });
    editor.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
    if (textarea.getAttribute("aria-invalid")) editor.setAttribute("aria-invalid", "true");
    editor.appendChild(template.content.cloneNode(true));
    if (!editor.innerHTML.trim()) editor.innerHTML = "<p><br></p>";

    var toolbar = document.createElement("div");
    toolbar.className = "rich-editor__toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", t.toolbar);
    [["bold", "bold"], ["italic", "italic"], ["ul", "insertUnorderedList"], ["ol", "insertOrderedList"], ["link", "createLink"]].forEach(function (item) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--small button--secondary";
      button.textContent = t[item[0]];
      button.addEventListener("click", function () {
        editor.focus();
        if (item[1] === "createLink") {
          var url = window.prompt(t.linkPrompt, "https://");
          if (url) document.execCommand("createLink", false, url);
        } else {
          document.execCommand(item[1], false, null);
        }
        changed();
      });
      toolbar.appendChild(button);
    });

    textarea.hidden = true;
    textarea.parentNode.insertBefore(toolbar, textarea);
    textarea.parentNode.insertBefore(editor, textarea);
    formatInput.value = "html";

    function sync() { htmlInput.value = editor.innerHTML; }
    function updateCount() {
      var n = countWords(editor.innerText || "");
      counter.textContent = t.words + n + (minWords ? t.min + minWords + t.close : "");
    }
    var pending = null;
    function save() {
      sync();
      var data = new FormData(form);
      data.set("action", "save");
      // getAttribute: form.action would find the buttons named "action".
      fetch(form.getAttribute("action"), { method: "POST", body: data, headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (body) { status.textContent = body.ok ? form.dataset.savedText + " " + body.at : (body.error || form.dataset.errorText); })
        .catch(function () { status.textContent = form.dataset.errorText; });
    }
    function changed() {
      updateCount();
      if (!errorNode.hidden && !tooShort()) clearError();
      window.clearTimeout(pending);
      pending = window.setTimeout(save, 1500);
    }

    // Errors sit at the field: named in its description, marked invalid, announced, and focused.
    var describedBy = (textarea.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
      return id && id !== errorNode.id;
    });
    function showError(message) {
      errorNode.textContent = "";
      var prefix = document.createElement("strong");
      prefix.textContent = form.dataset.errorPrefix;
      errorNode.appendChild(prefix);
      errorNode.appendChild(document.createTextNode(" " + message));
      errorNode.hidden = false;
      editor.setAttribute("aria-invalid", "true");
      editor.setAttribute("aria-describedby", [errorNode.id].concat(describedBy).join(" "));
      editor.focus();
    }
    function clearError() {
      errorNode.hidden = true;
      errorNode.textContent = "";
      editor.removeAttribute("aria-invalid");
      editor.setAttribute("aria-describedby", describedBy.join(" "));
    }
    function tooShort() {
      var n = countWords(editor.innerText || "");
      if (n === 0) return form.dataset.emptyText;
      if (minWords && n < minWords) return form.dataset.tooShortText;
      return "";
    }
    function submitAnswer() {
      sync();
      var data = new FormData(form);
      data.set("action", "submit");
      submitButton.disabled = true;
      fetch(form.getAttribute("action"), { method: "POST", body: data, headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          if (!body.ok) { showError(body.error || form.dataset.submitFailedText); return; }
          clearError();
          status.textContent = body.message;
          submitButton.textContent = form.dataset.resubmitText;
          document.dispatchEvent(new CustomEvent("helsepedagogikk:activity-done", { detail: { block: form.closest("section").id } }));
        })
        .catch(function () { showError(form.dataset.submitFailedText); })
        .then(function () { submitButton.disabled = false; });
    }

    editor.addEventListener("input", changed);
    form.addEventListener("submit", function (event) {
      window.clearTimeout(pending);
      sync();
      if (!event.submitter || event.submitter.value !== "submit") return; // "Lagre utkast": a normal post
      event.preventDefault();
      var problem = tooShort();
      if (problem) showError(problem);
      else submitAnswer();
    });
    updateCount();
    if (textarea.hasAttribute("autofocus")) editor.focus(); // the server refused the answer: its error is here
  });
})();
