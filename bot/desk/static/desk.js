// The editor's desk, a Telegram Mini App. Plain ES module, no build step, no external
// resources. Every string from the server is put into the page with textContent (Telegram
// HTML of previews is rebuilt element by element from a whitelist, never assigned as HTML).

const webApp = window.Telegram && window.Telegram.WebApp ? window.Telegram.WebApp : null;
const fragment = new URLSearchParams(location.hash.slice(1));
const launch = (webApp && webApp.initData) || fragment.get("tgWebAppData") || "";
// Telegram's launch data is URL-encoded ASCII; anything else cannot be genuine (and cannot go
// in a header): send none, and the server refuses it like any other missing launch data
const initData = /^[\x20-\x7e]*$/.test(launch) ? launch : "";
const api = new URL("api/", location.href);

let labels = {};
let listing = null;
let filters = { topic: "", status: "" };

// --- Telegram's theme -------------------------------------------------------------------------

const THEME = {
  bg_color: "--tg-bg", text_color: "--tg-text", hint_color: "--tg-hint", link_color: "--tg-link",
  button_color: "--tg-button", button_text_color: "--tg-button-text",
  secondary_bg_color: "--tg-secondary-bg", destructive_text_color: "--tg-destructive",
};

function themeParams() {
  if (webApp && webApp.themeParams) return webApp.themeParams;
  try { return JSON.parse(fragment.get("tgWebAppThemeParams") || "{}"); } catch { return {}; }
}

function applyTheme() {
  const params = themeParams();
  for (const [key, variable] of Object.entries(THEME)) {
    const value = params && params[key];
    // only colours: a theme value is never anything else in a style
    if (typeof value === "string" && /^#[0-9a-fA-F]{3,8}$/.test(value)) {
      document.documentElement.style.setProperty(variable, value);
    }
  }
}

// --- building the page ---------------------------------------------------------------------------

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function label(key, count) {
  const text = labels[key] || key;
  return count === undefined ? text : text.replace("{count}", String(count));
}

// Telegram HTML (what the bot sends) as DOM: the tags Telegram knows are rebuilt, their
// text copied as text; anything else keeps only its text. No attribute is copied except a
// link's address, and only an http(s) or tg: one.
const TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "blockquote"]);

function telegramHtml(html) {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const out = document.createDocumentFragment();
  const copy = (from, into) => {
    for (const node of from.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) { into.append(document.createTextNode(node.textContent)); continue; }
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      const tag = node.tagName.toLowerCase();
      let target = into;
      if (TAGS.has(tag)) {
        target = document.createElement(tag);
      } else if (tag === "a") {
        target = document.createElement("a");
        const href = node.getAttribute("href") || "";
        if (/^(https?:\/\/|tg:\/\/)/i.test(href)) { target.href = href; target.rel = "noopener noreferrer"; target.target = "_blank"; }
      } else if (tag === "tg-spoiler" || (tag === "span" && node.classList.contains("tg-spoiler"))) {
        target = document.createElement("span");
        target.className = "spoiler";
      }
      copy(node, target);
      if (target !== into) into.append(target);
    }
  };
  copy(parsed.body, out);
  return out;
}

function notice(html, good) {
  const box = document.getElementById("notice");
  box.replaceChildren(telegramHtml(html));
  box.className = good ? "good" : "bad";
  box.hidden = false;
}

function clearNotice() {
  const box = document.getElementById("notice");
  box.hidden = true;
  box.replaceChildren();
}

// --- the API ----------------------------------------------------------------------------------

class Refused extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function call(path, body) {
  const options = { headers: { "X-Telegram-Init-Data": initData }, credentials: "omit" };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(new URL(path, api), options);
  let data = {};
  try { data = await response.json(); } catch { data = { error: response.statusText }; }
  if (response.status === 401 || response.status === 403) {
    // no content for anyone the server does not know as an editor
    document.getElementById("content").replaceChildren();
    document.getElementById("who").textContent = "";
    throw new Refused(response.status, data.error || String(response.status));
  }
  if (!response.ok && response.status !== 422) throw new Refused(response.status, data.error || String(response.status));
  return data;
}

function failed(error) {
  notice(error instanceof Refused ? escapeText(error.message) : escapeText(String(error)), false);
  if (error instanceof Refused && (error.status === 401 || error.status === 403)) {
    document.body.dataset.state = "refused";
  }
}

// the API's messages are Telegram HTML already; a message made here is plain text, escaped
function escapeText(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// --- the list ---------------------------------------------------------------------------------

async function showList() {
  clearNotice();
  listing = await call("snippets");
  labels = listing.labels;
  document.documentElement.lang = listing.lang;
  document.title = label("title");
  document.getElementById("heading").textContent = label("title");
  document.getElementById("who").textContent = listing.editor;
  drawList();
  document.body.dataset.state = "list";
}

function drawList() {
  const content = document.getElementById("content");
  const topicTitles = new Map(listing.topics.map((topic) => [topic.slug, `${topic.emoji} ${topic.title}`]));
  const topicSelect = el("select", { id: "topic-filter", onchange: (e) => { filters.topic = e.target.value; drawList(); } },
    el("option", { value: "", text: "—" }),
    ...listing.topics.map((topic) => el("option", { value: topic.slug, text: topicTitles.get(topic.slug) })));
  topicSelect.value = filters.topic;
  const statusSelect = el("select", { id: "status-filter", onchange: (e) => { filters.status = e.target.value; drawList(); } },
    el("option", { value: "", text: "—" }),
    el("option", { value: "draft", text: label("drafts") }),
    el("option", { value: "published", text: label("published") }));
  statusSelect.value = filters.status;
  const parts = [el("div", { class: "filters" }, topicSelect, statusSelect)];
  const shown = listing.snippets.filter((s) => (!filters.topic || s.topic === filters.topic) && (!filters.status || s.status === filters.status));
  if (!shown.length) parts.push(el("p", { class: "hint", text: label("empty") }));
  for (const topic of listing.topics) {
    const mine = shown.filter((s) => s.topic === topic.slug);
    if (!mine.length) continue;
    parts.push(el("h2", { text: topicTitles.get(topic.slug) }));
    for (const status of ["draft", "published"]) {
      const group = mine.filter((s) => s.status === status);
      if (!group.length) continue;
      parts.push(el("h3", { text: label(status === "draft" ? "drafts" : "published") }));
      parts.push(el("ul", { class: "items" }, ...group.map((s) => el("li", {},
        el("button", { type: "button", "data-id": String(s.id), onclick: () => open(s.id) },
          el("span", { class: "id", text: `#${s.id}` }), el("span", { text: s.title }))))));
    }
  }
  content.replaceChildren(...parts);
}

// --- one snippet ------------------------------------------------------------------------------

async function open(id, keepNotice) {
  if (!keepNotice) clearNotice();
  const sheet = await call(`snippets/${id}`);
  if (sheet.error) { notice(sheet.error, false); return; }
  drawSheet(sheet);
  document.body.dataset.state = "sheet";
  window.scrollTo(0, 0);
}

function field(name, props, node) {
  return [el("label", { for: props.id, text: label(name) }), node];
}

function drawSheet(sheet) {
  const content = document.getElementById("content");
  const parts = [
    el("button", { type: "button", class: "back", text: label("back"), onclick: () => showList().catch(failed) }),
    el("h2", { text: `#${sheet.id} ${sheet.title}` }),
    el("p", { class: "hint" }, el("span", { text: `${sheet.topic_title} · ` }),
      el("span", { class: `badge ${sheet.status}`, id: "status", text: label(`status_${sheet.status}`) })),
  ];

  // the source passage, the figures' evidence and the quotes marked
  parts.push(el("h3", { text: `${label("source")}: ${sheet.source.title}` }));
  const passage = el("div", { class: "card passage", id: "passage" });
  if (sheet.source.passage) {
    for (const run of sheet.source.passage) passage.append(run.mark ? el("mark", { text: run.text }) : document.createTextNode(run.text));
  } else {
    passage.textContent = label("no_source");
  }
  parts.push(passage);
  // once laid out: the first figure's evidence or quote in view inside the card
  requestAnimationFrame(() => {
    const first = passage.querySelector("mark");
    if (first) passage.scrollTop = Math.max(0, first.offsetTop - passage.offsetTop - 24);
  });

  // each figure and quote with its remove control (the same rules as /figure_remove, /quote_remove)
  const editable = sheet.status !== "retired";
  const remove = (kind, position) => editable && el("button", {
    type: "button", class: "remove", id: `remove-${kind}-${position}`, text: label("remove"),
    onclick: () => change(sheet.id, `snippets/${sheet.id}/${kind}s/${position}/remove`, {}),
  });
  if (sheet.figures.length) {
    parts.push(el("h3", { text: label("figures") }));
    parts.push(el("ul", { class: "plain", id: "figures" }, ...sheet.figures.map((f) => el("li", {},
      el("b", { text: `${f.value} ${f.unit}` }), document.createTextNode(` — ${f.label} `), remove("figure", f.position)))));
  }
  if (sheet.quotes.length) {
    parts.push(el("h3", { text: label("quotes") }));
    parts.push(el("ul", { class: "plain", id: "quotes" }, ...sheet.quotes.map((q) => el("li", {},
      document.createTextNode(`«${q.text}» — ${q.role ? `${q.author}, ${q.role}` : q.author} `), remove("quote", q.position)))));
  }

  // what readers will see, rendered by the bot's own functions
  parts.push(el("h3", { text: label("preview") }));
  const preview = el("div", { id: "preview" });
  if (sheet.warning) preview.append(el("p", { class: "warning", id: "own-words" }, telegramHtml(sheet.warning)));
  for (const part of sheet.preview) preview.append(el("div", { class: "preview" }, telegramHtml(part)));
  parts.push(preview);

  if (sheet.status !== "retired") {
    parts.push(el("h3", { text: label("edit") }));
    const title = el("input", { id: "title", maxlength: "300" });
    title.value = sheet.title;
    const summary = el("textarea", { id: "summary", maxlength: "4000" });
    summary.value = sheet.summary;
    parts.push(...field("field_title", { id: "title" }, title), ...field("field_summary", { id: "summary" }, summary));
    parts.push(el("div", { class: "row" }, el("button", { type: "button", class: "action", id: "save", text: label("save"),
      onclick: () => change(sheet.id, `snippets/${sheet.id}/text`, { title: title.value, summary: summary.value }) })));

    parts.push(el("h3", { text: label("add_figure") }));
    const value = el("input", { id: "figure-value", inputmode: "text", placeholder: "28 · 8–9", maxlength: "40" });  // a range as 8–9: a decimal keypad has no dash
    const unit = el("input", { id: "figure-unit", maxlength: "40" });
    const what = el("input", { id: "figure-label", maxlength: "200" });
    parts.push(el("div", { class: "row" }, el("div", {}, ...field("field_value", { id: "figure-value" }, value)),
      el("div", {}, ...field("field_unit", { id: "figure-unit" }, unit))));
    parts.push(...field("field_label", { id: "figure-label" }, what));
    parts.push(el("div", { class: "row" }, el("button", { type: "button", class: "action secondary", id: "add-figure", text: label("add_figure"),
      onclick: () => change(sheet.id, `snippets/${sheet.id}/figures`, { value: value.value, unit: unit.value, label: what.value }) })));

    // a quote: new, or other words in place of one; verbatim from the source, as /quote_add
    parts.push(el("h3", { text: label("add_quote") }));
    const words = el("textarea", { id: "quote-text", class: "short", maxlength: "2000" });
    const speaker = el("input", { id: "quote-speaker", maxlength: "400" });
    const place = el("select", { id: "quote-position" }, el("option", { value: "0", text: label("quote_new") }),
      ...sheet.quotes.map((q) => el("option", { value: String(q.position), text: label("quote_replace", q.position) })));
    parts.push(...field("field_quote", { id: "quote-text" }, words), ...field("field_speaker", { id: "quote-speaker" }, speaker));
    parts.push(el("div", { class: "row" }, place, el("button", { type: "button", class: "action secondary", id: "save-quote", text: label("save_quote"),
      onclick: () => change(sheet.id, `snippets/${sheet.id}/quotes`, { text: words.value, speaker: speaker.value, position: Number(place.value) }) })));

    const actions = el("div", { class: "row" });
    if (sheet.status === "draft") {
      actions.append(el("button", { type: "button", class: "action", id: "publish", text: `${label("publish")} · ${label("reach", sheet.reach)}`,
        onclick: () => change(sheet.id, `snippets/${sheet.id}/publish`, {}) }));
      actions.append(el("button", { type: "button", class: "action danger", id: "retire", text: label("discard"),
        onclick: () => change(sheet.id, `snippets/${sheet.id}/retire`, {}) }));
    } else {
      parts.push(el("p", { class: "hint", id: "delivered", text: label("delivered", sheet.delivered) }));
      actions.append(el("button", { type: "button", class: "action danger", id: "retire", text: label("retire"),
        onclick: () => change(sheet.id, `snippets/${sheet.id}/retire`, {}) }));
    }
    parts.push(actions);
  }
  parts.push(el("div", { id: "confirm" }));

  parts.push(el("h3", { text: label("history") }));
  const history = el("ul", { class: "plain history", id: "history" });
  if (!sheet.history.length) history.append(el("li", { class: "hint", text: label("history_empty") }));
  for (const entry of sheet.history) {
    const item = el("li", {}, el("b", { text: entry.at }), document.createTextNode(` · ${entry.actor} (${entry.via}) · ${entry.action}`));
    for (const c of entry.changes) {
      item.append(el("br"), document.createTextNode(`${c.field}: `), el("s", { text: c.before ?? "—" }), document.createTextNode(` → ${c.after ?? "—"}`));
    }
    history.append(item);
  }
  parts.push(history);
  content.replaceChildren(...parts);
}

async function change(id, path, body) {
  try {
    const outcome = await call(path, body);
    if (!outcome.ok) { notice(outcome.error || outcome.message, false); return; }
    if (outcome.token) { askToConfirm(id, outcome); return; }
    notice(outcome.message, true);
    await open(id, true);
  } catch (error) {
    failed(error);
  }
}

function askToConfirm(id, outcome) {
  const box = document.getElementById("confirm");
  const settle = (apply) => async () => {
    try {
      const result = await call("confirm", { token: outcome.token, apply });
      notice(result.message, result.ok);
      await open(id, true);
    } catch (error) {
      failed(error);
    }
  };
  box.replaceChildren(el("div", { class: "card confirm" },
    el("div", {}, telegramHtml(outcome.message)),
    ...outcome.preview.map((part) => el("div", { class: "preview" }, telegramHtml(part))),
    el("div", { class: "row" },
      el("button", { type: "button", class: "action", id: "apply", text: label("apply"), onclick: settle(true) }),
      el("button", { type: "button", class: "action secondary", id: "cancel", text: label("cancel"), onclick: settle(false) }))));
  box.scrollIntoView();
}

// --- start --------------------------------------------------------------------------------------

applyTheme();
if (webApp) { webApp.ready(); webApp.expand(); }
showList().catch(failed);
