// Content source form: AppID and the secret's environment variable only for WeChat and Weibo, and the
// platform's API base address filled in when the address is still empty (CSP: no inline scripts).
(function () {
  var form = document.getElementById("feed-form");
  if (!form) { return; }
  var kind = form.querySelector("[name=kind]");
  var url = form.querySelector("[name=url]");
  var bases = { wechat: "https://api.weixin.qq.com", weibo: "https://api.weibo.com" };
  function update() {
    var platform = kind.value !== "rss";
    ["app_id", "secret_env"].forEach(function (name) {
      var box = form.querySelector("[data-feed-field=" + name + "]");
      if (box) { box.hidden = !platform; }
    });
    if (url && !url.value && bases[kind.value]) { url.value = bases[kind.value]; }
  }
  kind.addEventListener("change", update);
  update();
})();
