// 登记召开情况: live attendance count and the general meeting's quorum (moved out of the template
// so the Content-Security-Policy can forbid inline script).
(function () {
  "use strict";
  var form = document.getElementById("record-form");
  if (!form) return;
  function update() {
    var rows = form.querySelectorAll("tr[data-voter]"), voters = 0, present = 0, n = {present: 0, leave: 0, absent: 0};
    rows.forEach(function (tr) {
      var checked = tr.querySelector("input[type=radio]:checked");
      var v = checked ? checked.value : "";
      if (n[v] !== undefined) n[v] += 1;
      if (tr.dataset.voter === "1") { voters += 1; if (v === "present") present += 1; }
      var reason = tr.querySelector(".att-reason");
      if (reason) reason.required = v === "leave";
    });
    var count = document.getElementById("att-count");
    if (count) count.textContent = "出席 " + n.present + " 人 · 请假 " + n.leave + " 人 · 缺席 " + n.absent + " 人";
    var q = document.getElementById("quorum");
    if (q) {
      var ok = voters > 0 && present * 2 > voters;
      q.className = "quorum " + (ok ? "ok" : "bad");
      q.textContent = "应到有表决权党员 " + voters + " 人，实到 " + present + " 人，" +
        (ok ? "超过半数，可以表决；通过须赞成票不少于 " + (Math.floor(voters / 2) + 1) + " 票。" : "未超过半数，不能表决。");
    }
  }
  form.addEventListener("change", update);
  update();
})();
