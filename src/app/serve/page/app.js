// gwlint serve: the page's only script. It sends the draft to this server (never anywhere
// else) and shows what comes back: highlights drawn behind the textarea, the findings
// grouped by category, and the chosen finding with its fix and its rule's explanation.
// The findings are the objects of `gwlint check --format json`: spans are UTF-8 byte
// offsets, turned here into the UTF-16 indices the browser's strings use.
"use strict";

const CATEGORY_NAMES = {
  "date-consistency": "日期前后矛盾",
  numbering: "层次序号",
  "percent-missing": "百分号缺失",
  "ad-text": "广告与网页残留",
  placeholder: "模板占位符",
  "required-section": "缺少必备要素",
  "count-claim": "数量表述不符",
  "toc-mismatch": "目录与正文不符",
  punctuation: "标点符号",
  typo: "错别字",
  spacing: "多余空格",
  duplicate: "重复内容",
  other: "其他",
};
const SEVERITY_NAMES = { error: "错误", warning: "警告", info: "提示" };
const SEVERITY_RANK = { info: 1, warning: 2, error: 3 };
const PROFILE_NAMES = {
  auto: "自动识别",
  notice: "通知类（红头文件）",
  plan: "工作要点、计划、总结",
  compilation: "文件汇编",
};
const PASTED_NAME = "-";
const DEBOUNCE_MS = 300;
// Chromium's own paste of 100 KB into a textarea takes seconds; a larger paste is put in
// directly (instant, but not on the undo stack).
const LARGE_PASTE = 20000;

const page = {
  rules: new Map(), // rule id → {id, category, severity, title, fixable, explain}
  categories: [],
  maxBody: 0,
  annotate: false, // the server can annotate a .docx (issue #16)
  name: PASTED_NAME, // the uploaded file's name, or "-" for pasted text
  crlf: false, // the uploaded file had Windows line endings
  docx: null, // {name, bytes} of an uploaded .docx, kept in memory for the annotated copy
  text: "", // the text the findings belong to
  findings: [], // {i, d, start, end, drawStart, drawEnd}: d is the JSON object
  marksOf: [], // finding index → its <mark> elements
  selected: -1,
  keep: null, // {rule, message, snippet} of the selected finding across re-checks
  seq: 0,
  controller: null,
  timer: 0,
};

const $ = (id) => document.getElementById(id);

function escapeHtml(s) {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

// Lone surrogates cannot travel as JSON text; the browser replaces them the way the
// server would (U+FFFD, one unit each), so indices stay the same.
function wellFormed(s) {
  return typeof s.toWellFormed === "function" ? s.toWellFormed() : s;
}

// UTF-8 byte offsets → UTF-16 indices, in one pass over the text.
function utf16Offsets(text, byteOffsets) {
  const wanted = [...new Set(byteOffsets)].sort((a, b) => a - b);
  const out = new Map();
  let bytes = 0;
  let i = 0;
  for (const target of wanted) {
    while (bytes < target && i < text.length) {
      const c = text.charCodeAt(i);
      if (c < 0x80) { bytes += 1; i += 1; }
      else if (c < 0x800) { bytes += 2; i += 1; }
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) { bytes += 4; i += 2; }
      else { bytes += 3; i += 1; }
    }
    out.set(target, i);
  }
  return out;
}

async function api(path, { json, bytes, signal } = {}) {
  const init = { method: json || bytes ? "POST" : "GET", signal, headers: {} };
  if (json) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (bytes) {
    init.headers["Content-Type"] = "application/octet-stream";
    init.body = bytes;
  }
  const res = await fetch(path, init);
  let body = null;
  try { body = await res.json(); } catch { body = null; }
  if (!res.ok) throw new Error(body && body.error ? body.error : `服务器返回 ${res.status}`);
  return body;
}

function settings() {
  const list = (id) => $(id).value.split(/[\s,，、;；]+/).filter(Boolean);
  return { select: list("select"), ignore: list("ignore"), profile: $("profile").value };
}

function setStatus(message, isError = false) {
  $("status").textContent = message;
  $("status").classList.toggle("error", isError);
}

function fail(error) {
  const message = error && error.message ? error.message : String(error);
  setStatus(message, true);
  $("settings-error").textContent = message.includes("规则或类别") ? message : "";
  document.body.dataset.state = "error";
}

// ---- checking ---------------------------------------------------------------------

function scheduleCheck() {
  clearTimeout(page.timer);
  page.timer = setTimeout(runCheck, DEBOUNCE_MS);
}

async function runCheck() {
  clearTimeout(page.timer);
  const text = wellFormed($("editor").value);
  const seq = ++page.seq;
  if (page.controller) page.controller.abort();
  const controller = new AbortController();
  page.controller = controller;
  if (!text.trim()) {
    show(text, []);
    setStatus("粘贴草稿或拖入文件后开始检查。");
    return;
  }
  document.body.dataset.state = "checking";
  const started = performance.now();
  try {
    const res = await api("/api/check", {
      json: { text, name: page.name, settings: settings() },
      signal: controller.signal,
    });
    if (seq !== page.seq) return;
    $("settings-error").textContent = "";
    show(text, res.diagnostics);
    summarize(`用时 ${Math.round(performance.now() - started)} 毫秒`);
  } catch (e) {
    if (seq === page.seq && e.name !== "AbortError") fail(e);
  }
}

function summarize(extra) {
  const n = page.findings.length;
  const count = (s) => page.findings.filter((x) => x.d.severity === s).length;
  const where = page.name === PASTED_NAME ? "" : ` · ${page.name}`;
  const what = n === 0 ? "没有发现问题" :
    `共 ${n} 处问题：错误 ${count("error")}，警告 ${count("warning")}，提示 ${count("info")}`;
  setStatus(`${what}${where}${extra ? ` · ${extra}` : ""}`);
}

// Show the findings of `text` (which may already differ from the textarea's text).
function show(text, diagnostics) {
  page.text = text;
  const offsets = utf16Offsets(text, diagnostics.flatMap((d) => [d.start.offset, d.end.offset]));
  page.findings = diagnostics.map((d, i) => ({
    i, d, start: offsets.get(d.start.offset), end: offsets.get(d.end.offset),
  }));
  renderHighlights();
  renderList();
  const kept = page.keep && page.findings.find((x) => x.d.rule === page.keep.rule &&
    x.d.message === page.keep.message && text.slice(x.start, x.end) === page.keep.snippet);
  select(kept ? kept.i : -1, false);
  $("fix-all").disabled = !diagnostics.some((d) => d.fix && d.fix.applicability === "safe");
  $("download").disabled = text.length === 0;
  document.body.dataset.state = "ready";
  document.body.dataset.checks = String(Number(document.body.dataset.checks) + 1);
}

// ---- highlights -------------------------------------------------------------------

function renderHighlights() {
  const text = page.text;
  const events = [];
  for (const x of page.findings) {
    let s = x.start;
    let e = x.end;
    if (e <= s) { // an insertion point: draw it on the character after (or before) it
      if (s < text.length) e = s + 1;
      else if (s > 0) s -= 1;
      else continue;
    }
    x.drawStart = s;
    x.drawEnd = e;
    events.push([s, 1, x.i], [e, -1, x.i]);
  }
  events.sort((a, b) => a[0] - b[0]);
  const active = new Set();
  const parts = [];
  let at = 0;
  for (let k = 0; k < events.length;) {
    const pos = events[k][0];
    parts.push(segment(text.slice(at, pos), active));
    at = pos;
    for (; k < events.length && events[k][0] === pos; k++) {
      if (events[k][1] > 0) active.add(events[k][2]);
      else active.delete(events[k][2]);
    }
  }
  parts.push(segment(text.slice(at), active));
  // a final line break needs a character after it to take up its line, as in the textarea
  if (text.endsWith("\n")) parts.push(" ");
  const box = $("highlights");
  box.innerHTML = parts.join("");
  box.classList.remove("stale");
  page.marksOf = page.findings.map(() => []);
  for (const mark of box.querySelectorAll("mark")) {
    for (const i of mark.dataset.f.split(" ")) page.marksOf[Number(i)].push(mark);
  }
  syncScroll();
}

function segment(s, active) {
  if (!s) return "";
  if (active.size === 0) return escapeHtml(s);
  let severity = "info";
  for (const i of active) {
    const sev = page.findings[i].d.severity;
    if (SEVERITY_RANK[sev] > SEVERITY_RANK[severity]) severity = sev;
  }
  return `<mark class="sev-${severity}" data-f="${[...active].join(" ")}">${escapeHtml(s)}</mark>`;
}

function syncScroll() {
  $("backdrop").scrollTop = $("editor").scrollTop;
}

// ---- the list and the detail ------------------------------------------------------

function renderList() {
  const groups = new Map(page.categories.map((c) => [c, []]));
  for (const x of page.findings) {
    if (!groups.has(x.d.category)) groups.set(x.d.category, []);
    groups.get(x.d.category).push(x);
  }
  const html = [];
  for (const [category, items] of groups) {
    if (items.length === 0) continue;
    html.push(`<section class="group" data-category="${escapeHtml(category)}"><h3>` +
      `<span>${escapeHtml(CATEGORY_NAMES[category] || category)}</span>` +
      `<span class="count">${items.length}</span></h3><ol>`);
    for (const x of items) {
      const d = x.d;
      html.push(`<li class="sev-${d.severity}" tabindex="0" data-i="${x.i}" data-rule="${escapeHtml(d.rule)}">` +
        `<span class="sev">${SEVERITY_NAMES[d.severity]}</span>` +
        `<span class="loc">${d.start.line}:${d.start.column}</span>${escapeHtml(d.message)} ` +
        `<code>${escapeHtml(d.rule)}</code></li>`);
    }
    html.push("</ol></section>");
  }
  $("findings").innerHTML = html.length ? html.join("") : '<p class="empty">没有发现问题。</p>';
  $("summary").textContent = `问题列表（${page.findings.length}）`;
}

function select(i, scroll) {
  page.selected = i;
  for (const el of document.querySelectorAll("mark.current")) el.classList.remove("current");
  for (const el of document.querySelectorAll("#findings li.selected")) el.classList.remove("selected");
  const x = page.findings[i];
  page.keep = x ? { rule: x.d.rule, message: x.d.message, snippet: page.text.slice(x.start, x.end) } : null;
  renderDetail();
  if (!x) return;
  const marks = page.marksOf[i] || [];
  for (const m of marks) m.classList.add("current");
  const item = $("findings").querySelector(`li[data-i="${i}"]`);
  if (item) item.classList.add("selected");
  if (!scroll) return;
  const editor = $("editor");
  editor.focus({ preventScroll: true });
  editor.setSelectionRange(x.start, x.end);
  if (marks[0]) editor.scrollTop = Math.max(0, marks[0].offsetTop - editor.clientHeight / 3);
  syncScroll();
  if (item) item.scrollIntoView({ block: "nearest" });
}

function renderDetail() {
  const x = page.findings[page.selected];
  $("detail").hidden = !x;
  if (!x) return;
  const d = x.d;
  const rule = page.rules.get(d.rule);
  $("detail").className = `sev-${d.severity}`;
  $("detail-title").textContent =
    `${SEVERITY_NAMES[d.severity]} · ${CATEGORY_NAMES[d.category] || d.category} · ${d.rule}`;
  $("detail-message").textContent = `第 ${d.start.line} 行第 ${d.start.column} 字：${d.message}`;
  if (d.fix) {
    const how = d.fix.applicability === "safe" ? "安全，可直接应用" : "需要校对：可能改变原意";
    $("detail-fix").textContent = `修复：${d.fix.message}（${how}）`;
  } else {
    $("detail-fix").textContent = "没有自动修复，请手动修改。";
  }
  $("detail-apply").hidden = !d.fix;
  $("detail-explain").textContent = rule ? rule.explain : "";
}

// ---- fixing, saving, opening ------------------------------------------------------

async function applyFix(target) {
  const editor = $("editor");
  const text = wellFormed(editor.value);
  if (text !== page.text) { // the findings are stale: check first, let the person look again
    await runCheck();
    return;
  }
  try {
    const res = await api("/api/fix", {
      json: { text, name: page.name, settings: settings(), target },
    });
    const top = editor.scrollTop;
    editor.value = res.text;
    editor.scrollTop = top;
    show(res.text, res.diagnostics);
    summarize(res.fixed > 0 ? `已应用 ${res.fixed} 处修复` : "没有可应用的修复");
  } catch (e) {
    fail(e);
  }
}

function downloadName() {
  if (page.name === PASTED_NAME) return "公文草稿.txt";
  const dot = page.name.lastIndexOf(".");
  const stem = dot > 0 ? page.name.slice(0, dot) : page.name;
  const ext = page.name.toLowerCase().endsWith(".md") ? ".md" : ".txt";
  return `${stem}（修改后）${ext}`;
}

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function download() {
  let text = $("editor").value;
  if (page.crlf) text = text.replace(/\r?\n/g, "\r\n");
  const name = downloadName();
  save(new Blob([text], { type: "text/plain;charset=utf-8" }), name);
  summarize(`已保存为 ${name}（UTF-8）`);
}

// The uploaded .docx with a Word comment per finding (as `gwlint check --annotate`
// writes it). The findings are those of the file as uploaded: edits made on the page
// are not carried into the Word file.
async function downloadAnnotated() {
  if (!page.docx) return;
  const track = $("track-changes").checked;
  const query = `settings=${encodeURIComponent(JSON.stringify(settings()))}` +
    (track ? "&track_changes=1" : "");
  setStatus(`正在生成带批注的 ${page.docx.name}…`);
  try {
    const res = await fetch(`/api/annotate?${query}`, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: page.docx.bytes,
    });
    if (!res.ok) {
      let body = null;
      try { body = await res.json(); } catch { body = null; }
      throw new Error(body && body.error ? body.error : `服务器返回 ${res.status}`);
    }
    const stem = page.docx.name.replace(/\.docx$/i, "");
    const name = `${stem}.gwlint.docx`;
    save(await res.blob(), name);
    const comments = res.headers.get("x-gwlint-comments");
    const tracked = track ? `，${res.headers.get("x-gwlint-tracked-changes")} 处修订` : "";
    summarize(`已保存 ${name}：${comments} 条批注${tracked}（按上传的原文件检查，页面上的改动不在其中）`);
  } catch (e) {
    fail(e);
  }
}

async function openFile(file) {
  const ext = (/\.([^.]+)$/.exec(file.name) || ["", ""])[1].toLowerCase();
  if (!["txt", "md", "docx"].includes(ext)) {
    fail(new Error(`不支持的文件类型：${file.name}（只支持 .txt、.md、.docx）`));
    return;
  }
  if (page.maxBody && file.size > page.maxBody) {
    fail(new Error(`文件太大（${(file.size / 1048576).toFixed(1)} MiB），上限为 ${page.maxBody >> 20} MiB。`));
    return;
  }
  setStatus(`正在读取 ${file.name}…`);
  try {
    const bytes = await file.arrayBuffer();
    const kind = ext === "docx" ? "docx" : "text";
    const res = await api(`/api/decode?kind=${kind}`, { bytes });
    page.name = file.name;
    page.crlf = res.crlf;
    page.docx = kind === "docx" ? { name: file.name, bytes } : null;
    page.keep = null;
    $("annotated").hidden = !(page.docx && page.annotate);
    $("track-changes-label").hidden = $("annotated").hidden;
    const editor = $("editor");
    editor.value = res.text.replace(/\r\n?/g, "\n");
    editor.scrollTop = 0;
    await runCheck();
  } catch (e) {
    fail(e);
  }
}

// ---- wiring -----------------------------------------------------------------------

function wire() {
  const editor = $("editor");
  editor.addEventListener("input", () => {
    $("highlights").classList.add("stale");
    scheduleCheck();
  });
  editor.addEventListener("paste", (e) => {
    const text = e.clipboardData ? e.clipboardData.getData("text/plain") : "";
    if (text.length < LARGE_PASTE) return;
    e.preventDefault();
    editor.setRangeText(text.replace(/\r\n?/g, "\n"), editor.selectionStart, editor.selectionEnd, "end");
    editor.dispatchEvent(new Event("input"));
  });
  editor.addEventListener("scroll", syncScroll);
  editor.addEventListener("click", () => {
    if (wellFormed(editor.value) !== page.text) return;
    const pos = editor.selectionStart;
    const hit = page.findings.find((x) => x.drawStart <= pos && pos < x.drawEnd);
    if (hit) select(hit.i, false);
  });
  new ResizeObserver(syncScroll).observe(editor);
  const pick = (event) => {
    const item = event.target.closest("li[data-i]");
    if (item) select(Number(item.dataset.i), true);
  };
  $("findings").addEventListener("click", pick);
  $("findings").addEventListener("keydown", (e) => { if (e.key === "Enter") pick(e); });
  $("detail-apply").addEventListener("click", () => {
    const x = page.findings[page.selected];
    if (x) applyFix({ rule: x.d.rule, start: x.d.start.offset, end: x.d.end.offset });
  });
  $("fix-all").addEventListener("click", () => applyFix(null));
  $("download").addEventListener("click", download);
  $("annotated").addEventListener("click", downloadAnnotated);
  $("file").addEventListener("change", (e) => {
    const file = e.target.files[0];
    e.target.value = "";
    if (file) openFile(file);
  });
  $("settings-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runCheck();
  });
  $("profile").addEventListener("change", runCheck);
  const wrap = $("editor-wrap");
  const dragging = (on) => { wrap.classList.toggle("dragging", on); $("drop-hint").hidden = !on; };
  window.addEventListener("dragover", (e) => { e.preventDefault(); dragging(true); });
  window.addEventListener("dragleave", (e) => { if (!e.relatedTarget) dragging(false); });
  window.addEventListener("drop", (e) => {
    e.preventDefault();
    dragging(false);
    const file = e.dataTransfer && e.dataTransfer.files[0];
    if (file) openFile(file);
  });
}

async function start() {
  wire();
  try {
    const info = await api("/api/rules");
    for (const r of info.rules) page.rules.set(r.id, r);
    page.categories = info.categories;
    page.maxBody = info.max_body_bytes;
    page.annotate = info.annotate;
    $("profile").innerHTML = info.profiles
      .map((p) => `<option value="${escapeHtml(p)}">${escapeHtml(PROFILE_NAMES[p] || p)}</option>`).join("");
    $("selectors").innerHTML = [...info.categories, ...page.rules.keys()]
      .map((s) => `<option value="${escapeHtml(s)}">`).join("");
    document.body.dataset.state = "ready";
    setStatus(`就绪：共 ${info.rules.length} 条规则。粘贴草稿或拖入 .txt、.md、.docx 文件。`);
    if ($("editor").value.trim()) runCheck();
  } catch (e) {
    fail(e);
  }
}

start();
