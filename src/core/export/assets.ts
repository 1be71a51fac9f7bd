/**
 * The constant stylesheet and script of an exported chat. Neither ever holds data from a
 * backup: the script reads what it needs from the document. Their SHA-256 hashes go into the
 * file's Content-Security-Policy, so any byte change here changes the policy too (computed).
 */

/** The chat page's one `<style>`. */
export const CHAT_CSS = `
:root{color-scheme:light dark;--bg:#efeae2;--fg:#111b21;--muted:#54656f;--in:#fff;--out:#d9fdd3;--meta:#5e6e77;--q:rgba(0,0,0,.05);--link:#0f6bb5;--accent:#00806a;--pill:#fff;--hit:#ffe066;--line:#d1d7db}
@media (prefers-color-scheme:dark){:root{--bg:#0b141a;--fg:#e9edef;--muted:#aebac1;--in:#202c33;--out:#005c4b;--meta:#c5d1d6;--q:rgba(255,255,255,.07);--link:#6cc4f5;--accent:#21c063;--pill:#182229;--hit:#7a6400;--line:#2a3942}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--fg);font:15px/1.42 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;height:100%;overflow:hidden}
body{margin:0;height:100%;overflow-y:auto;padding:0 .75rem;display:flex;flex-direction:column-reverse;align-items:center}
body>*{flex:none;width:100%;max-width:56rem}
body:focus{outline:none}
.hd{order:4}.months{order:3}main{order:2;display:flex;flex-direction:column-reverse}#end{order:1}footer{order:0;margin-bottom:2rem}
main>*{flex:none}
a{color:var(--link)}
h1{font-size:1.35rem;margin:1rem 0 .25rem;overflow-wrap:anywhere}
.sub{color:var(--muted);margin:.15rem 0;font-size:.9rem}
details{margin:.25rem 0;color:var(--muted);font-size:.9rem}
.months{border-top:1px solid var(--line);border-bottom:1px solid var(--line);margin:.5rem 0;padding:.25rem 0;font-size:.9rem}
.months h2{font-size:1rem;margin:.25rem 0}
.months ol{list-style:none;margin:0;padding:0}
.months li{margin:.1rem 0}
.months b{display:inline-block;min-width:3.2rem}
.months a{margin-right:.5rem;white-space:nowrap}
.tools{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:.5rem 0}
.tools[hidden]{display:none}
.tools input{flex:1 1 12rem;font:inherit;padding:.3rem .5rem}
.tools button,.tools select{font:inherit;padding:.3rem .6rem}
.mo{content-visibility:auto;contain-intrinsic-size:auto 2000px}
.mh{text-align:center;font-size:1rem;margin:1.25rem 0 .25rem;color:var(--muted)}
.dy{text-align:center;margin:.75rem 0 .4rem;font-size:.8rem;font-weight:500}
.dy span{background:var(--pill);color:var(--muted);padding:.2rem .6rem;border-radius:.5rem;display:inline-block}
.m{display:block;margin:.12rem 0;width:fit-content;min-width:4.5rem;max-width:min(36rem,85%);background:var(--in);padding:.3rem .5rem .2rem;border-radius:.5rem;box-shadow:0 1px .5px rgba(11,20,26,.13);overflow-wrap:anywhere}
.m.nw{margin-top:.5rem}
.o{background:var(--out);margin-left:auto}
.s{text-align:center;margin:.4rem auto;background:var(--pill);color:var(--muted);font-size:.85rem;max-width:90%}
.t{margin:0;white-space:pre-wrap}
.sn{display:block;font-weight:600;font-size:.85rem}
.fw,.mt,.x{color:var(--meta);font-size:.78rem}
.fw{display:block}
.mt{display:block;text-align:end;margin-top:.05rem}
div.mt>time{display:inline}
.q{display:block;text-decoration:none;color:inherit;background:var(--q);border-left:3px solid var(--accent);border-radius:.3rem;padding:.2rem .45rem;margin:.15rem 0 .25rem;font-size:.88rem}
.q .qs{display:block;font-weight:600;color:var(--accent)}
.q .qt{display:block;white-space:pre-wrap;max-height:4.3em;overflow:hidden}
.muted{color:var(--muted);font-style:italic;margin:0}
.th{display:block;width:16rem;max-width:100%;height:auto;max-height:22rem;object-fit:cover;border-radius:.35rem;margin:.1rem 0}
.stk{width:9rem}
.mf{display:block;width:max-content;max-width:100%}
.card audio{display:block;width:18rem;max-width:100%;margin-top:.2rem}
.card{margin:.15rem 0;padding:.3rem .45rem;background:var(--q);border-radius:.35rem}
.card b,.card span,.card a{display:block}
.card ul{margin:.2rem 0;padding-left:1.1rem}
.poll progress{width:100%;height:.45rem}
.rx{list-style:none;margin:.2rem 0 0;padding:0;font-size:.8rem}
.rx li{display:inline-block;background:var(--pill);border-radius:1rem;padding:0 .45rem;margin:0 .25rem 0 0;box-shadow:0 1px .5px rgba(11,20,26,.13)}
.miss{color:#c0271d}
.hit{outline:3px solid var(--hit)}
#end{text-align:center;color:var(--muted);font-size:.85rem;margin:1rem 0}
footer{color:var(--muted);font-size:.8rem;border-top:1px solid var(--line);padding-top:.5rem}
.c0{color:#a5224b}.c1{color:#0b6e99}.c2{color:#1d7a35}.c3{color:#a14b00}.c4{color:#7a3ea8}.c5{color:#00776a}.c6{color:#b0266f}.c7{color:#4a55b8}.c8{color:#8a5a00}.c9{color:#5d6c00}.c10{color:#c0341d}.c11{color:#1a63c2}
@media (prefers-color-scheme:dark){.c0{color:#ff8fa9}.c1{color:#53bdeb}.c2{color:#6fd68a}.c3{color:#ffb467}.c4{color:#c9a2f5}.c5{color:#4fd6c4}.c6{color:#ff8fd0}.c7{color:#a9b3ff}.c8{color:#f0c36b}.c9{color:#c5d85e}.c10{color:#ff9a85}.c11{color:#7fb6ff}}
@media print{
html{background:#fff;color:#000;font-size:10.5pt;height:auto;overflow:visible}
body{height:auto;overflow:visible;display:block;padding:0}
body>*{max-width:none}
.tools,.months,#end a{display:none}
.mo{content-visibility:visible;contain-intrinsic-size:none}
.m{box-shadow:none;border:1px solid #bbb;background:#fff}
.o{background:#f1f8ef}
.s{border:0}
.m{break-inside:avoid}
.th{max-height:5cm;width:auto;max-width:8cm}
a{color:inherit}
}
`;

/**
 * The chat page's one `<script>`: opens at the newest message, shows the find bar and the month
 * picker (both `hidden` without script). It never contains or evaluates message text.
 */
export const CHAT_JS = `
(function () {
  'use strict';
  var d = document;
  function byId(id) { return d.getElementById(id); }
  // The page opens at the newest message by itself: the body scrolls as a column-reverse flex
  // box (its scroll position starts at the end) and the newest month comes first in the file.
  // Focus it so the keyboard scrolls it at once.
  if (!location.hash) d.body.focus({ preventScroll: true });
  var tools = byId('tools');
  if (!tools) return;
  tools.hidden = false;

  var sel = byId('month');
  var secs = d.querySelectorAll('section.mo'); // newest first
  for (var i = secs.length - 1; i >= 0; i--) {
    var o = d.createElement('option');
    o.value = secs[i].id;
    o.textContent = secs[i].getAttribute('aria-label') || secs[i].id;
    sel.appendChild(o);
  }
  sel.addEventListener('change', function () {
    var t = sel.value && byId(sel.value);
    if (t) t.scrollIntoView({ block: 'start' });
  });

  var q = byId('q'), status = byId('qs'), msgs = null, texts = null, hits = [], at = -1, last = '', cur = null;
  function show(el) {
    if (cur) cur.classList.remove('hit');
    cur = el;
    if (!el) return;
    el.classList.add('hit');
    el.scrollIntoView({ block: 'center' });
  }
  function find(dir) {
    var s = q.value.trim().toLocaleLowerCase();
    if (!s) { show(null); hits = []; last = ''; status.textContent = ''; return; }
    if (s !== last) {
      if (!msgs) {
        // Oldest first (months are in the file newest first; ids are m<position in the chat>).
        msgs = Array.prototype.slice.call(d.querySelectorAll('#chat .m'));
        msgs.sort(function (a, b) { return a.id.slice(1) - b.id.slice(1); });
        texts = new Array(msgs.length);
      }
      hits = [];
      for (var i = 0; i < msgs.length; i++) {
        if (texts[i] === undefined) texts[i] = msgs[i].textContent.toLocaleLowerCase();
        if (texts[i].indexOf(s) !== -1) hits.push(i);
      }
      last = s;
      at = hits.length;
    }
    if (!hits.length) { show(null); status.textContent = 'No matches'; return; }
    at = (at + dir + hits.length) % hits.length;
    show(msgs[hits[at]]);
    status.textContent = (at + 1) + ' of ' + hits.length;
  }
  q.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') { e.preventDefault(); find(e.shiftKey ? 1 : -1); }
    else if (e.key === 'Escape') { q.value = ''; find(0); }
  });
  byId('qprev').addEventListener('click', function () { find(-1); });
  byId('qnext').addEventListener('click', function () { find(1); });
})();
`;
