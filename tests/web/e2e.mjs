// Drives gwlint serve's page in headless Chromium (playwright-core, no browser download:
// Debian's /usr/bin/chromium). Run by tests/serve_e2e.rs, which starts the server and
// passes everything through the environment:
//   GWLINT_URL             the page
//   GWLINT_PLAYWRIGHT_CORE the playwright-core package folder
//   GWLINT_CHROMIUM        the Chromium executable
//   GWLINT_DRAFT           a draft with known defects (pasted)
//   GWLINT_EXPLAIN         what `gwlint explain template-placeholder` prints
//   GWLINT_DOCX            a .docx to upload; GWLINT_DOCX_JSON: `gwlint check --format json` on it
//   GWLINT_ANNOTATED       where the annotated copy the page downloads is saved
//   GWLINT_BIG             a ~100 KB draft (responsiveness)
//   GWLINT_SCREENSHOT      where to save the screenshot
// Prints one line `RESULT {json}` with the measurements, then `OK`; any failed check
// throws (exit code 1).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const require = createRequire(import.meta.url);
const { chromium } = require(env("GWLINT_PLAYWRIGHT_CORE"));

const browser = await chromium.launch({
  executablePath: env("GWLINT_CHROMIUM"),
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const result = {};
try {
  const context = await browser.newContext({
    viewport: { width: 1360, height: 820 }, acceptDownloads: true, deviceScaleFactor: 1,
  });
  const origin = new URL(env("GWLINT_URL")).origin;
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  // (an HTTP error answer is logged as "Failed to load resource": the refusals this
  // script provokes are checked where they happen)
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) pageErrors.push(m.text());
  });
  // Nothing but this server: every request of the page goes to its origin.
  const foreign = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) {
      foreign.push(r.url());
    }
  });

  await page.goto(env("GWLINT_URL"));
  await page.waitForSelector('body[data-state="ready"]');
  const checks = async () => Number(await page.getAttribute("body", "data-checks"));
  // a real paste: the text goes to the clipboard, then Ctrl+V in the textarea
  const paste = async (text) => {
    await page.evaluate((t) => navigator.clipboard.writeText(t), text);
    await page.focus("#editor");
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Control+V");
  };
  const waitChecks = async (n) => page.waitForFunction(
    (k) => Number(document.body.dataset.checks) >= k && document.body.dataset.state === "ready",
    n, { polling: "raf", timeout: 30000 });

  // ---- paste a draft with known defects ------------------------------------------
  const draft = readFileSync(env("GWLINT_DRAFT"), "utf8");
  let before = await checks();
  await paste(draft);
  await waitChecks(before + 1);
  assert.equal(await page.inputValue("#editor"), draft);
  const pastedCount = await page.$$eval("#findings li", (l) => l.length);

  const marks = await page.$$eval("#highlights mark", (ms) => ms.map((m) => ({
    text: m.textContent, severity: m.className.replace(/.*sev-(\w+).*/, "$1"),
  })));
  const marked = (text, severity) => marks.some((m) => m.text === text && m.severity === severity);
  for (const [text, severity] of [["[2024]", "warning"], [":", "warning"], ["95", "warning"], ["党的XX大", "warning"], ["2024年2月30日", "error"]]) {
    assert.ok(marked(text, severity), `no ${severity} highlight on 「${text}」: ${JSON.stringify(marks)}`);
  }
  // the backdrop shows the same text as the textarea, so the highlights sit on it
  assert.equal(await page.$eval("#highlights", (h) => h.textContent.trimEnd()), draft.trimEnd());

  const groups = await page.$$eval("#findings .group", (gs) => Object.fromEntries(gs.map((g) => [
    g.dataset.category,
    { count: Number(g.querySelector(".count").textContent), rules: [...g.querySelectorAll("li")].map((li) => li.dataset.rule) },
  ])));
  assert.deepEqual(groups.punctuation, { count: 2, rules: ["doc-number-bracket", "half-width-punctuation"] });
  assert.equal(groups.placeholder.count, 1);
  assert.equal(groups["percent-missing"].count, 1);
  assert.equal(groups.spacing.count, 1);
  result.pasted = groups;

  // ---- click a finding: it is selected in the text and explained --------------------
  await page.click('#findings li[data-rule="template-placeholder"]');
  await page.waitForSelector("#detail:not([hidden])");
  assert.equal((await page.textContent("#detail-explain")).trim(), env("GWLINT_EXPLAIN").trim());
  const selection = await page.$eval("#editor", (e) => e.value.slice(e.selectionStart, e.selectionEnd));
  assert.equal(selection, "党的XX大");
  assert.equal(await page.$eval("mark.current", (m) => m.textContent), "党的XX大");
  assert.ok(await page.isHidden("#detail-apply"), "a finding without a fix offers no fix button");

  // ---- apply one fix, then all safe fixes ----------------------------------------
  await page.click('#findings li[data-rule="doc-number-bracket"]');
  before = await checks();
  await page.click("#detail-apply");
  await waitChecks(before + 1);
  let text = await page.inputValue("#editor");
  assert.ok(text.includes("区政发〔2024〕3号") && text.includes("各科室:"), text);
  assert.equal(await page.$$eval('#findings li[data-rule="doc-number-bracket"]', (l) => l.length), 0);
  before = await checks();
  await page.click("#fix-all");
  await waitChecks(before + 1);
  text = await page.inputValue("#editor");
  assert.ok(text.includes("各科室：") && text.includes("不低于95"), text);
  assert.ok(!text.includes("95%"), "an unsafe fix is not applied by 全部安全修复");
  assert.equal(await page.$$eval('#findings li[data-rule="percent-sign-missing"]', (l) => l.length), 1);

  // ---- download the fixed text --------------------------------------------------
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  assert.equal(download.suggestedFilename(), "公文草稿.txt");
  const saved = readFileSync(await download.path(), "utf8");
  assert.equal(saved, text);

  // ---- upload a .docx ------------------------------------------------------------
  before = await checks();
  await page.setInputFiles("#file", env("GWLINT_DOCX"));
  await waitChecks(before + 1);
  const expected = JSON.parse(readFileSync(env("GWLINT_DOCX_JSON"), "utf8"));
  const listed = await page.$$eval("#findings li", (ls) => ls.map((li) =>
    `${li.dataset.rule}@${li.querySelector(".loc").textContent}`));
  const wanted = expected.map((d) => `${d.rule}@${d.start.line}:${d.start.column}`);
  assert.deepEqual([...listed].sort(), [...wanted].sort());
  assert.ok(wanted.some((w) => w.startsWith("common-typo@")), "the .docx has a typo finding");
  assert.ok((await page.textContent("#status")).includes(env("GWLINT_DOCX").split("/").pop()));
  result.docx_findings = listed.length;

  // ---- the .docx with a Word comment per finding ------------------------------------
  assert.ok(await page.isVisible("#annotated"), "a .docx upload offers the annotated copy");
  const stem = env("GWLINT_DOCX").split("/").pop().replace(/\.docx$/, "");
  const [annotated] = await Promise.all([page.waitForEvent("download"), page.click("#annotated")]);
  assert.equal(annotated.suggestedFilename(), `${stem}.gwlint.docx`);
  await annotated.saveAs(env("GWLINT_ANNOTATED"));
  await page.waitForFunction(() => document.querySelector("#status").textContent.includes("条批注"));
  result.annotated_status = await page.textContent("#status");

  // ---- screenshot (the README's picture): the .docx, a finding chosen, its explanation open
  await page.click('#findings li[data-rule="common-typo"]');
  await page.waitForSelector("#detail:not([hidden])");
  const shot = await page.screenshot({ path: env("GWLINT_SCREENSHOT") });

  // ---- drop a .txt with Windows line endings: the saved text keeps them --------------
  const crlf = draft.replace(/\n/g, "\r\n");
  before = await checks();
  await page.evaluate((content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], "通知.txt", { type: "text/plain" }));
    document.querySelector("#editor-wrap").dispatchEvent(
      new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, crlf);
  await waitChecks(before + 1);
  assert.equal(await page.inputValue("#editor"), draft);
  // the same draft with other line endings: the same findings as when it was pasted
  assert.equal(await page.$$eval("#findings li", (l) => l.length), pastedCount);
  const [dropped] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  assert.equal(dropped.suggestedFilename(), "通知（修改后）.txt");
  assert.equal(readFileSync(await dropped.path(), "utf8"), crlf);

  // ---- settings: ignore a category, then an unknown name is refused with its name ----
  await page.click("#settings summary");
  assert.deepEqual(await page.$$eval("#profile option", (o) => o.map((x) => x.value)),
    ["auto", "notice", "plan", "compilation"]);
  await page.fill("#ignore", "punctuation");
  before = await checks();
  await page.click('#settings-form button[type="submit"]');
  await waitChecks(before + 1);
  assert.equal(await page.$$eval('#findings .group[data-category="punctuation"]', (g) => g.length), 0);
  // everything pasted but the punctuation group
  assert.equal(await page.$$eval("#findings li", (l) => l.length), pastedCount - groups.punctuation.count);
  await page.fill("#ignore", "punctuation, no-such-rule");
  await page.press("#ignore", "Enter");
  await page.waitForFunction(() => document.querySelector("#settings-error").textContent.includes("no-such-rule"));
  await page.fill("#ignore", "");
  await page.selectOption("#profile", "notice");
  before = await checks();
  await page.press("#ignore", "Enter");
  await waitChecks(before + 1);
  assert.equal(await page.textContent("#settings-error"), "");
  await page.click("#settings summary");

  // ---- a 100 KB draft: full check, then typing (debounced re-check) ------------------
  const big = readFileSync(env("GWLINT_BIG"), "utf8");
  before = await checks();
  let t0 = Date.now();
  await paste(big);
  await waitChecks(before + 1);
  result.big_paste_to_highlights_ms = Date.now() - t0;
  assert.equal(await page.inputValue("#editor"), big);
  result.big_bytes = Buffer.byteLength(big);
  result.big_findings = await page.$$eval("#findings li", (l) => l.length);
  // typing: each keystroke's own handling, then the re-check after the pause
  await page.focus("#editor");
  await page.$eval("#editor", (e) => e.setSelectionRange(e.value.length, e.value.length));
  before = await checks();
  t0 = Date.now();
  await page.keyboard.type("各单位要认真贯彻落实", { delay: 20 });
  result.big_typing_ms = Date.now() - t0;
  t0 = Date.now();
  await waitChecks(before + 1);
  result.big_last_key_to_highlights_ms = Date.now() - t0;
  assert.equal(await checks(), before + 1, "a burst of typing costs one check");
  // the re-check itself, without the debounce: time the page's own check on the big text
  result.big_check_and_render_ms = await page.evaluate(async () => {
    const n = Number(document.body.dataset.checks);
    const started = performance.now();
    document.querySelector("#settings-form").requestSubmit();
    while (Number(document.body.dataset.checks) === n) await new Promise((r) => requestAnimationFrame(r));
    return Math.round(performance.now() - started);
  });
  // one keystroke in the 100 KB textarea: the edit, the input handler and the layout it
  // forces (median of 10; a frame at 60 Hz is 16.7 ms)
  result.big_keystroke_ms = await page.evaluate(async () => {
    const editor = document.querySelector("#editor");
    const highlights = document.querySelector("#highlights");
    editor.focus();
    const times = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      document.execCommand("insertText", false, "文");
      void editor.scrollHeight;
      void highlights.offsetHeight;
      times.push(performance.now() - started);
      await new Promise((r) => requestAnimationFrame(r));
    }
    times.sort((a, b) => a - b);
    return Math.round(times[5] * 10) / 10;
  });
  await waitChecks(before + 3);
  // clicking the last finding scrolls the text to it
  await page.click("#findings li:last-child");
  const visible = await page.evaluate(() => {
    const editor = document.querySelector("#editor");
    const mark = document.querySelector("mark.current");
    const top = mark.offsetTop - editor.scrollTop;
    return { scrollTop: editor.scrollTop, top, height: editor.clientHeight };
  });
  assert.ok(visible.scrollTop > 0 && visible.top >= 0 && visible.top < visible.height,
    `the selected finding is in view: ${JSON.stringify(visible)}`);

  // ---- the screenshot is not blank ---------------------------------------------
  const stats = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = new OffscreenCanvas(img.width, img.height);
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, img.width, img.height);
    const colors = new Set();
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) {
      colors.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      if (data[i] + data[i + 1] + data[i + 2] < 300) dark += 1;
    }
    return { width: img.width, height: img.height, colors: colors.size, dark_fraction: dark / (data.length / 4) };
  }, shot.toString("base64"));
  result.screenshot = stats;
  assert.ok(stats.colors > 50 && stats.dark_fraction > 0.005, `blank screenshot: ${JSON.stringify(stats)}`);

  assert.deepEqual(foreign, [], "the page requested nothing outside this server");
  assert.deepEqual(pageErrors, [], "no script errors");
  console.log(`RESULT ${JSON.stringify(result)}`);
  console.log("OK");
} finally {
  await browser.close();
}
