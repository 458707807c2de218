// pgedge's page: one image, one task, the answer streamed from POST /v1/run (a multipart
// upload; Server-Sent Events "text" pieces, then the "result" object, as `pgedge run
// --json` prints it, or an "error").
"use strict";

const $ = (id) => document.getElementById(id);
// Okabe–Ito colours (distinguishable with the common colour-vision deficiencies); every
// box also carries its number and label, so no object is told apart by colour alone.
const COLORS = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"];

let image = null;        // {bitmap, blob, name}
let result = null;       // the last result object
let hot = -1;            // the highlighted object
let controller = null;   // aborts the running request

// --- the API key, asked once and kept for this tab's session only (sessionStorage)
function headers(extra) {
  const h = Object.assign({}, extra);
  const key = sessionStorage.getItem("pgedge-key");
  if (key) h["Authorization"] = "Bearer " + key;
  return h;
}
async function api(path, init) {
  let r = await fetch(path, Object.assign({}, init, {headers: headers(init && init.headers)}));
  while (r.status === 401) {
    await askKey(sessionStorage.getItem("pgedge-key") ? "That key was refused; try again" : "");
    r = await fetch(path, Object.assign({}, init, {headers: headers(init && init.headers)}));
  }
  return r;
}
// askKey shows the key form and resolves once a key is entered.
let keyWaiters = [];
function askKey(note) {
  const f = $("keyform");
  f.hidden = false;
  if (note) f.querySelector("small").textContent = note;
  $("key").focus();
  return new Promise((resolve) => keyWaiters.push(resolve));
}
$("keyform").addEventListener("submit", (e) => {
  e.preventDefault();
  sessionStorage.setItem("pgedge-key", $("key").value);
  $("keyform").hidden = true;
  keyWaiters.splice(0).forEach((w) => w());
});
async function errorOf(r) {
  try {
    const j = await r.json();
    return (j.error && (j.error.message || j.error)) || r.statusText;
  } catch (e) { return r.status + " " + r.statusText; }
}
function showError(msg) { $("error").textContent = msg; $("error").hidden = !msg; }

// --- model information
async function loadInfo() {
  try {
    const r = await api("/v1/info");
    if (!r.ok) throw new Error(await errorOf(r));
    const i = await r.json();
    $("model").textContent = `${i.preset} · ${i.weights} · ${i.image_size} px · ${i.threads} threads · kernels ${i.kernels}`;
    $("max").max = i.context; // the form then refuses more tokens than the context holds
  } catch (e) { $("model").textContent = "model information unavailable: " + e.message; }
}

// --- the image
async function setImage(blob, name) {
  if (!blob || !/^image\/(png|jpeg)$/.test(blob.type)) {
    showError("Please give a PNG or JPEG image" + (blob && blob.type ? ` (this is ${blob.type}).` : "."));
    return;
  }
  try {
    image = {bitmap: await createImageBitmap(blob), blob, name: name || "image"};
  } catch (e) { showError("This image cannot be read: " + e.message); return; }
  showError("");
  result = null;
  draw();
}
const drop = $("drop");
drop.addEventListener("click", (e) => { if (e.target !== $("file")) $("file").click(); });
drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("file").click(); } });
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault(); drop.classList.remove("over");
  const f = e.dataTransfer.files[0];
  if (f) setImage(f, f.name);
});
$("file").addEventListener("change", () => { const f = $("file").files[0]; if (f) setImage(f, f.name); });
document.addEventListener("paste", (e) => {
  for (const item of e.clipboardData.items) {
    if (item.kind === "file") { setImage(item.getAsFile(), "pasted"); return; }
  }
});

// --- the task fields
function showFields() {
  const t = $("task").value;
  for (const f of document.querySelectorAll(".field[data-for]")) f.hidden = !f.dataset.for.split(" ").includes(t);
  const max = $("max");
  if (!max.dataset.touched) max.value = (t === "detect" || t === "segment") ? 256 : 64;
}
$("task").addEventListener("change", showFields);
$("max").addEventListener("input", () => { $("max").dataset.touched = "1"; });
showFields();

function request() {
  const t = $("task").value;
  const body = {max_tokens: Number($("max").value), stream: true};
  if (t === "prompt") body.prompt = $("prompt").value;
  else {
    body.task = t;
    if (["caption", "describe", "answer"].includes(t)) body.lang = $("lang").value;
    if (t === "answer") body.question = $("question").value;
    if (t === "detect" || t === "segment") body.objects = $("objects").value;
  }
  return body;
}

// --- running
$("form").addEventListener("submit", async (e) => {
  e.preventDefault();
  if (!image) { showError("Drop or choose an image first."); return; }
  showError("");
  result = null; hot = -1;
  $("text").textContent = ""; $("json").textContent = ""; $("stats").textContent = "";
  draw();
  const form = new FormData();
  for (const [k, v] of Object.entries(request())) form.append(k, String(v));
  form.append("image", image.blob, image.name);
  controller = new AbortController();
  $("run").disabled = true; $("cancel").disabled = false;
  const t0 = performance.now();
  let first = 0;
  try {
    const r = await api("/v1/run", {method: "POST", body: form, signal: controller.signal});
    if (!r.ok) throw new Error(await errorOf(r));
    for await (const ev of events(r.body)) {
      const data = JSON.parse(ev.data);
      if (ev.event === "text") {
        if (!first) first = performance.now() - t0;
        $("text").textContent += data.text;
      } else if (ev.event === "result") {
        result = data;
        $("text").textContent = data.text;
        $("json").textContent = JSON.stringify(data, null, 2);
        const tm = data.timings;
        $("stats").textContent = `time to first token ${Math.round(first || tm.prefill_ms)} ms · ` +
          `${tm.extend_tokens_per_s.toFixed(1)} tokens/s · ${data.tokens.length} tokens · ` +
          `${data.objects.length} object${data.objects.length === 1 ? "" : "s"}`;
        draw();
      } else if (ev.event === "error") {
        throw new Error((data.error && data.error.message) || "the generation failed");
      }
    }
  } catch (err) {
    if (err.name === "AbortError") $("stats").textContent = "cancelled";
    else showError(err.message);
  } finally {
    controller = null;
    $("run").disabled = false; $("cancel").disabled = true;
  }
});
$("cancel").addEventListener("click", () => { if (controller) controller.abort(); });

// events parses a Server-Sent Events stream into {event, data} records.
async function* events(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const {value, done} = await reader.read();
    if (done) return;
    buf += value;
    let i;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, i); buf = buf.slice(i + 2);
      const ev = {event: "message", data: ""};
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) ev.event = line.slice(6).trim();
        else if (line.startsWith("data:")) ev.data += line.slice(5).trim();
      }
      if (ev.data) yield ev;
    }
  }
}

// --- drawing
// rleDecode turns a COCO compressed RLE ({size: [h, w], counts: "..."}) into an h×w
// 0/1 array (row-major); the counts run down the columns, as pycocotools writes them.
function rleDecode(rle) {
  const [h, w] = rle.size, s = rle.counts, counts = [];
  for (let p = 0; p < s.length;) {
    let x = 0, k = 0, more = 1, c = 0;
    while (more) {
      c = s.charCodeAt(p++) - 48;
      x |= (c & 0x1f) << (5 * k);
      more = c & 0x20; k++;
      if (!more && (c & 0x10)) x |= -1 << (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2];
    counts.push(x);
  }
  const mask = new Uint8Array(h * w);
  let i = 0, v = 0;
  for (const n of counts) {
    if (v) for (let j = i; j < i + n; j++) mask[(j % h) * w + Math.floor(j / h)] = 1;
    i += n; v ^= 1;
  }
  return mask;
}

// scale is how many canvas pixels an image pixel gets: small images (PaliGemma works
// at 224 px) are drawn enlarged so that boxes and labels stay legible.
function scaleOf(W, H) { return Math.max(1, Math.min(4, Math.floor(640 / Math.max(W, H)))); }

// draw paints the picture and rebuilds the legend (for a new image or result).
function draw() {
  paint();
  $("legend").textContent = "";
  if (!image || !result) return;
  result.objects.forEach((o, n) => {
    const item = document.createElement("span");
    item.tabIndex = 0;
    const swatch = document.createElement("i");
    swatch.style.background = COLORS[n % COLORS.length]; // a style property, which the page's CSP allows (a style attribute it does not)
    item.append(swatch, `${n + 1} ${o.label}` + (o.mask ? " (mask)" : ""));
    item.addEventListener("mouseenter", () => highlight(n));
    item.addEventListener("focus", () => highlight(n));
    item.addEventListener("mouseleave", () => highlight(-1));
    item.addEventListener("blur", () => highlight(-1));
    $("legend").append(item);
  });
}

// paint draws the image, the masks and the boxes, the highlighted object stronger.
function paint() {
  const cv = $("canvas"), ctx = cv.getContext("2d");
  if (!image) { cv.width = cv.height = 0; return; }
  const {width: W, height: H} = image.bitmap, S = scaleOf(W, H);
  cv.width = W * S; cv.height = H * S;
  ctx.imageSmoothingEnabled = S === 1;
  ctx.drawImage(image.bitmap, 0, 0, W * S, H * S);
  if (!result) return;
  const objs = result.objects;
  // Masks first, translucent, then boxes and labels on top.
  const px = ctx.getImageData(0, 0, W * S, H * S);
  objs.forEach((o, n) => {
    if (!o.mask) return;
    const m = rleDecode(o.mask), c = hex(COLORS[n % COLORS.length]), a = n === hot ? 0.65 : 0.45;
    for (let y = 0; y < H * S; y++) {
      for (let x = 0; x < W * S; x++) {
        if (!m[Math.floor(y / S) * W + Math.floor(x / S)]) continue;
        const i = 4 * (y * W * S + x);
        for (let ch = 0; ch < 3; ch++) px.data[i + ch] = Math.round(px.data[i + ch] * (1 - a) + c[ch] * a);
      }
    }
  });
  ctx.putImageData(px, 0, 0);
  const lw = Math.max(2, Math.round(Math.min(W, H) * S / 150));
  ctx.font = `${Math.max(13, Math.round(Math.min(W, H) * S / 28))}px system-ui, sans-serif`;
  objs.forEach((o, n) => {
    const b = o.box, col = COLORS[n % COLORS.length];
    const x0 = b.x_min * S, y0 = b.y_min * S, x1 = b.x_max * S, y1 = b.y_max * S;
    ctx.lineWidth = n === hot ? 2 * lw : lw;
    ctx.strokeStyle = col;
    ctx.strokeRect(x0 + lw / 2, y0 + lw / 2, x1 - x0 - lw, y1 - y0 - lw);
    const label = `${n + 1} ${o.label}`, tw = ctx.measureText(label).width + 8, th = parseInt(ctx.font) + 6;
    const y = y0 >= th ? y0 - th : y0;
    ctx.fillStyle = col; ctx.fillRect(x0, y, tw, th);
    ctx.fillStyle = textOn(col); ctx.fillText(label, x0 + 4, y + th - 6);
  });
}
function highlight(n) {
  if (hot === n) return;
  hot = n;
  paint();
  [...$("legend").children].forEach((el, i) => el.classList.toggle("hot", i === n));
}
$("canvas").addEventListener("mousemove", (e) => {
  if (!result) return;
  const cv = $("canvas"), r = cv.getBoundingClientRect();
  const S = cv.width / image.bitmap.width; // canvas pixels per image pixel
  const x = (e.clientX - r.left) * cv.width / r.width / S, y = (e.clientY - r.top) * cv.height / r.height / S;
  let n = -1;
  result.objects.forEach((o, i) => { const b = o.box; if (x >= b.x_min && x < b.x_max && y >= b.y_min && y < b.y_max) n = i; });
  highlight(n);
});
$("canvas").addEventListener("mouseleave", () => highlight(-1));
function hex(c) { return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)); }
function textOn(c) { const [r, g, b] = hex(c); return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? "#000" : "#fff"; }

// --- copy and download
$("copy-text").addEventListener("click", () => navigator.clipboard.writeText($("text").textContent));
$("copy-json").addEventListener("click", () => navigator.clipboard.writeText($("json").textContent));
$("download").addEventListener("click", () => {
  $("canvas").toBlob((b) => {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(b); a.download = "pgedge.png"; a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }, "image/png");
});

loadInfo();
