/* A library image's focal point: click the preview where the picture must stay in view when a
 * card crops it; the two fields beside it take the point in percent (media_library/models.py). */
(function () {
  "use strict";
  function start() {
    var picture = document.querySelector("img.focal-point-picker");
    var across = document.getElementById("id_focal_x");
    var down = document.getElementById("id_focal_y");
    if (!picture || !across || !down) return;
    picture.style.cursor = "crosshair";
    picture.addEventListener("click", function (event) {
      var box = picture.getBoundingClientRect();
      across.value = Math.round(((event.clientX - box.left) / box.width) * 100);
      down.value = Math.round(((event.clientY - box.top) / box.height) * 100);
      across.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
