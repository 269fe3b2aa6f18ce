/* learnpath: the watch beacon of a local video (flipped lessons, issue 7).
   Counts the seconds actually played (not skipped over) and reports them, with "ended" when the video ends,
   to the video's data-progress-url every 10 s of play, on pause and when the page is left.
   Without JavaScript, opening the page is still recorded by the server. */
(function () {
  "use strict";

  function setUp(video) {
    var url = video.dataset.progressUrl;
    var token = video.dataset.csrf || "";
    var played = 0;
    var sent = -1;
    var last = null;

    function send(event) {
      var whole = Math.floor(played);
      if (event === "progress" && whole === sent) {
        return;
      }
      sent = whole;
      var body = new FormData();
      body.append("event", event);
      body.append("seconds", String(whole));
      body.append("csrf_token", token);
      try {
        fetch(url, {method: "POST", body: body, headers: {"X-CSRF-Token": token}, credentials: "same-origin", keepalive: true});
      } catch (e) { /* the next report will carry the count */ }
    }

    video.addEventListener("timeupdate", function () {
      var t = video.currentTime;
      if (last !== null && !video.seeking) {
        var step = t - last;
        if (step > 0 && step < 2) {
          played += step;
        }
      }
      last = t;
      if (Math.floor(played) - sent >= 10) {
        send("progress");
      }
    });
    video.addEventListener("seeked", function () { last = video.currentTime; });
    video.addEventListener("pause", function () { send("progress"); });
    video.addEventListener("ended", function () { sent = -1; send("ended"); });
    window.addEventListener("pagehide", function () { send("progress"); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("video[data-progress-url]"), setUp);
  });
})();
