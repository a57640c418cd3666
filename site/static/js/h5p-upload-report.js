// H5P upload (admin): when a package was refused, move the focus to the upload field, which
// is described by its error and by the grouped report under it (h5p/admin/upload_panel.html).
(function () {
  "use strict";
  function focusUpload() {
    var report = document.querySelector("[data-h5p-upload-report]");
    if (!report) {
      return;
    }
    var field = document.querySelector("input[type=file][aria-describedby~='" + report.id + "']");
    (field || report).focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusUpload);
  } else {
    focusUpload();
  }
})();
