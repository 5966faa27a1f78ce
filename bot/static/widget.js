/* Régie Assistant: the chat widget a landlord embeds with one line,
 *   <script src="https://<host>/widget.js" data-tenant="<tenant>" async></script>
 * Plain ES2020, no dependency, no build. It lives in a Shadow DOM, styles itself
 * with a constructed stylesheet (no inline style, no eval: strict CSPs allow it)
 * and sets everything it shows as text, never as HTML. See docs/widget.md.
 */
(() => {
  "use strict";

  const script = document.currentScript || document.querySelector("script[data-tenant][src*='widget.js']");
  if (!script || document.getElementById("regie-assistant")) return;
  const API = new URL(script.src).origin;
  const TENANT = script.dataset.tenant || "";
  const STORE_KEY = "regie-assistant:" + TENANT;
  const KEPT_MESSAGES = 100;
  const COLOR = /^#[0-9a-fA-F]{6}$/;
  // The web app checks the photo's content again; these spare a useless upload.
  const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];
  const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

  const T = {
    open: "Une question ?",
    openLabel: (name) => "Ouvrir la discussion avec l'assistant de " + name,
    unread: (n) => (n > 1 ? n + " nouveaux messages" : "1 nouveau message"),
    dialog: (name) => "Discussion avec l'assistant de " + name,
    restart: "Nouvelle conversation",
    close: "Fermer la discussion",
    input: "Votre message",
    placeholder: "Écrivez votre message…",
    send: "Envoyer",
    choices: "Réponses proposées",
    typing: "L'assistant écrit…",
    me: "Vous : ",
    bot: "Assistant : ",
    staff: "Message de la Régie : ",
    newTab: " (s'ouvre dans un nouvel onglet)",
    unreachable: "L'assistant ne peut pas être joint pour le moment. Vérifiez votre connexion, puis réessayez.",
    retry: "Réessayer",
    tooMany: (s) =>
      "Vous avez envoyé beaucoup de messages en peu de temps. Vous pourrez réessayer dans " + s + " secondes.",
    stale: "Ce choix n'est plus proposé. Écrivez votre question, ou choisissez parmi les dernières réponses.",
    refused: "Ce message n'a pas pu être envoyé.",
    forwarded: "Message transmis. Un médiateur vous répondra ici.",
    human: "Un médiateur a rejoint la conversation.",
    bot_back: "L'assistant automatique reprend la conversation.",
    attach: "📷 Joindre une photo",
    photoSent: "📷 Photo envoyée",
    photoTooLarge: "Cette photo est trop lourde : 5 Mo au plus. Choisissez-en une plus légère.",
    photoWrongType: "Choisissez une photo JPEG, PNG ou WebP.",
    myData: "Mes données",
    erase: "Effacer mes données",
    privacyPage: "vos données et vos droits",
    noData: "Aucune donnée n'est enregistrée : vous n'avez encore rien écrit.",
    downloaded: "Le fichier « mes-donnees.json » contient tout ce que nous gardons sur vous.",
    eraseQuestion:
      "Effacer vos données ? Vos coordonnées et cette conversation seront supprimées, vos rendez-vous à venir annulés. C'est définitif.",
    eraseYes: "Oui, tout effacer",
    eraseNo: "Annuler",
    erased: "Vos données sont effacées.",
  };

  // ---- State, kept in the browser so the conversation survives reloads and navigation.

  function newSenderId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    // randomUUID needs a secure context; an http landlord page still has getRandomValues.
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function loadState() {
    try {
      const kept = JSON.parse(localStorage.getItem(STORE_KEY));
      if (kept && typeof kept.senderId === "string" && Array.isArray(kept.messages)) return kept;
    } catch (_) {
      // Storage blocked or corrupt: start afresh, in memory.
    }
    return { senderId: newSenderId(), messages: [], lastEventId: 0, open: false, mode: "bot", started: false };
  }

  function saveState() {
    // Nothing is written in the browser before the resident opens the assistant (docs/privacy.md).
    if (!state.open && !state.started) return;
    state.messages = state.messages.slice(-KEPT_MESSAGES);
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (_) {
      // Private browsing may refuse storage: the conversation then lasts as long as the page.
    }
  }

  let state = loadState();
  let look = null;
  let busy = false;
  let unread = 0;
  let events = null;
  let eventsRetry = 0;

  // ---- DOM helpers: attributes and text only.

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    node.append(...children); // strings become text nodes
    return node;
  }

  function button(label, attributes, onClick) {
    const node = el("button", Object.assign({ type: "button" }, attributes), label);
    node.addEventListener("click", onClick);
    return node;
  }

  function httpUrl(url, base) {
    try {
      const parsed = new URL(url, base);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed : null;
    } catch (_) {
      return null;
    }
  }

  // A URL becomes a link only if it is http(s); the rest of the text stays text.
  function link(url, label) {
    const parsed = httpUrl(url);
    if (!parsed) return null;
    const attributes = { href: parsed.href, target: "_blank", rel: "noopener noreferrer" };
    return el("a", attributes, label, el("span", { class: "sr" }, T.newTab));
  }

  function linkify(text) {
    const fragment = document.createDocumentFragment();
    for (const line of text.split("\n")) {
      if (fragment.childNodes.length) fragment.append("\n");
      const source = /^(Source : )(.+) — (https?:\/\/\S+)$/.exec(line);
      const sourceLink = source && link(source[3], source[2]);
      if (sourceLink) {
        fragment.append(source[1], sourceLink);
        continue;
      }
      for (const part of line.split(/(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)»])/)) {
        fragment.append((/^https?:\/\//.test(part) && link(part, part)) || part);
      }
    }
    return fragment;
  }

  // ---- Look: one stylesheet, with the tenant's colour checked again before use.

  function styles(primary, onPrimary) {
    return `
:host{all:initial}
*{box-sizing:border-box}
[hidden]{display:none!important}
.rq{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1a1a1a}
button,textarea{font:inherit;color:inherit}
button{cursor:pointer}
:focus-visible{outline:3px solid #111;outline-offset:2px;box-shadow:0 0 0 2px #fff}
.sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.launcher{position:fixed;right:16px;bottom:16px;z-index:2147483000;display:flex;align-items:center;gap:8px;
 min-height:48px;padding:10px 18px;border:2px solid #fff;border-radius:24px;background:${primary};color:${onPrimary};
 font-weight:600;box-shadow:0 4px 14px rgba(0,0,0,.3)}
.badge{min-width:1.5em;padding:0 .4em;border-radius:1em;background:#b00020;color:#fff;font-size:.8em;text-align:center}
.panel{position:fixed;right:16px;bottom:16px;z-index:2147483001;display:flex;flex-direction:column;
 width:min(380px,calc(100vw - 32px));height:min(620px,calc(100vh - 32px));background:#fff;border-radius:12px;
 box-shadow:0 8px 30px rgba(0,0,0,.35);overflow:hidden}
@media (max-width:480px),(max-height:480px){.panel{inset:0;width:100%;height:100%;border-radius:0}}
header{display:flex;align-items:center;gap:8px;padding:8px 10px;background:${primary};color:${onPrimary}}
header img{flex:none;width:36px;height:36px;border-radius:6px;background:#fff;object-fit:contain}
header h2{flex:1 1 auto;min-width:0;margin:0;font-size:1em;overflow-wrap:anywhere}
header button{flex:0 1 auto;min-height:40px;padding:4px 8px;border:1px solid ${onPrimary};
 border-radius:6px;background:transparent;color:${onPrimary};font-size:.875em;line-height:1.2}
header .x{flex:none;min-width:40px}
header :focus-visible{outline-color:${onPrimary};box-shadow:none}
.log{flex:1;overflow-y:auto;display:flex;flex-direction:column;gap:8px;padding:12px;background:#f4f4f4}
.msg{max-width:88%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.bot{align-self:flex-start;background:#fff;border:1px solid #c8c8c8}
.staff{align-self:flex-start;background:#fff6d6;border:1px solid #8a6d00}
.me{align-self:flex-end;background:${primary};color:${onPrimary}}
.note{align-self:stretch;padding:6px 10px;border-left:4px solid #444;background:#fff;font-size:.9em}
.note button{margin-left:8px}
.privacy{padding:4px 10px 6px;background:#fff;font-size:.8em;line-height:1.35}
.privacy a{color:#0645ad}
.privacy button{margin:4px 6px 0 0;padding:2px 8px;border:1px solid #767676;border-radius:12px;background:#fff}
.msg a{color:#0645ad;text-decoration:underline}
.choices{display:flex;flex-wrap:wrap;gap:6px;align-self:flex-start;max-width:100%}
.choices button,.note button{min-height:40px;padding:6px 12px;border:1px solid ${onPrimary};border-radius:18px;
 background:${primary};color:${onPrimary};text-align:left}
.typing{align-self:flex-start;display:flex;gap:4px;padding:12px;border-radius:12px;background:#fff}
.typing span{width:8px;height:8px;border-radius:50%;background:#555;animation:rq-blink 1.2s infinite}
.typing span:nth-child(2){animation-delay:.2s}.typing span:nth-child(3){animation-delay:.4s}
@keyframes rq-blink{0%,80%,100%{opacity:.25}40%{opacity:1}}
@media (prefers-reduced-motion:reduce){.typing span{animation:none}}
form{display:flex;gap:8px;padding:8px;border-top:1px solid #c8c8c8;background:#fff}
textarea{flex:1;min-width:0;min-height:44px;max-height:7.5em;padding:8px;resize:none;border:1px solid #767676;border-radius:8px}
textarea::placeholder{color:#666}
form button{min-height:44px;padding:0 14px;border:0;border-radius:8px;background:${primary};color:${onPrimary};font-weight:600}
form button[aria-disabled=true]{opacity:.7;cursor:wait}
`;
  }

  function adoptStyles(root, css) {
    // A constructed stylesheet needs no style-src in the page's CSP; old browsers fall back to <style>.
    if ("adoptedStyleSheets" in Document.prototype && "replaceSync" in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.append(el("style", {}, css));
    }
  }

  // ---- The interface.

  const ui = {};

  function build() {
    const primary = COLOR.test(look.primary_color) ? look.primary_color : "#1f5f8b";
    const onPrimary = look.text_color === "#000000" ? "#000000" : "#ffffff";
    const host = el("div", { id: "regie-assistant" });
    const root = host.attachShadow({ mode: "open" });
    adoptStyles(root, styles(primary, onPrimary));

    ui.badge = el("span", { class: "badge", hidden: "" });
    ui.launcher = button(el("span", {}, T.open), { class: "launcher", "aria-expanded": "false", "aria-controls": "rq-panel" }, () => openPanel(true));
    ui.launcher.append(ui.badge);
    ui.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": T.dialog(look.name) });
    ui.status = el("div", { class: "sr", role: "status" });
    ui.input = el("textarea", { id: "rq-input", rows: "1", maxlength: "2000", placeholder: T.placeholder, autocomplete: "off" });
    ui.send = el("button", { type: "submit" }, T.send);
    ui.file = el("input", { type: "file", accept: PHOTO_TYPES.join(","), hidden: "", tabindex: "-1" });
    ui.file.addEventListener("change", () => ui.file.files[0] && sendPhoto(ui.file.files[0]));
    const form = el("form", {}, el("label", { class: "sr", for: "rq-input" }, T.input), ui.input, ui.send);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      sendTyped();
    });
    ui.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        sendTyped();
      }
    });
    ui.panel = el("div", { id: "rq-panel", class: "panel", role: "dialog", "aria-labelledby": "rq-title", hidden: "" }, header(), ui.log, ui.status, form, privacyBar());
    ui.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closePanel();
    });
    root.append(el("div", { class: "rq" }, ui.launcher, ui.panel, ui.file));
    updateLauncher();
    return host;
  }

  function header() {
    const parts = [];
    const logo = look.logo_url && httpUrl(look.logo_url, API);
    if (logo) {
      const img = el("img", { src: logo.href, alt: "" });
      img.addEventListener("error", () => img.remove());
      parts.push(img);
    }
    parts.push(el("h2", { id: "rq-title" }, look.name));
    parts.push(button(T.restart, {}, restart));
    parts.push(button("✕", { class: "x", "aria-label": T.close, title: T.close }, closePanel));
    return el("header", {}, ...parts);
  }

  function openPanel(focus) {
    ui.panel.hidden = false;
    ui.launcher.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    unread = 0;
    updateLauncher();
    saveState();
    loadNotice();
    ui.log.scrollTop = ui.log.scrollHeight;
    if (focus) ui.input.focus();
  }

  function closePanel() {
    ui.panel.hidden = true;
    ui.launcher.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    saveState();
    ui.launcher.focus();
  }

  function updateLauncher() {
    ui.badge.hidden = unread === 0;
    ui.badge.textContent = String(unread);
    ui.launcher.setAttribute("aria-label", T.openLabel(look.name) + (unread ? ", " + T.unread(unread) : ""));
  }

  // ---- Messages.

  function render(message) {
    const who = message.who === "me" ? T.me : message.who === "staff" ? T.staff : T.bot;
    const body = message.who === "me" ? message.text : linkify(message.text);
    ui.log.append(el("div", { class: "msg " + message.who }, el("span", { class: "sr" }, who), body));
  }

  // The buttons of a turn stay until the next message of the resident (or of the Régie).
  function addMessage(message) {
    state.messages.push(message);
    saveState();
    render(message);
    if (hasChoices(message)) showChoices(message);
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function hasChoices(message) {
    return Boolean(message.photo || (message.buttons && message.buttons.length));
  }

  // A message asking for a photo (during a problem report) also gets the upload control.
  function showChoices(message) {
    const group = el("div", { class: "choices", role: "group", "aria-label": T.choices });
    if (message.photo) group.append(button(T.attach, {}, () => ui.file.click()));
    for (const choice of message.buttons || []) {
      group.append(button(choice.title, {}, () => send({ payload: choice.payload, title: choice.title })));
    }
    ui.log.append(group);
  }

  function clearChoices() {
    for (const node of ui.log.querySelectorAll(".choices")) node.remove();
  }

  function note(text, retryItem) {
    const node = el("div", { class: "note" }, text);
    if (retryItem) {
      node.append(
        button(T.retry, {}, () => {
          node.remove();
          ui.input.focus();
          retry(retryItem);
        }),
      );
    }
    ui.log.append(node);
    ui.log.scrollTop = ui.log.scrollHeight;
    return node;
  }

  function setBusy(value) {
    busy = value;
    ui.send.setAttribute("aria-disabled", String(value));
    if (value) {
      ui.typing = el("div", { class: "typing", "aria-hidden": "true" }, el("span"), el("span"), el("span"));
      ui.log.append(ui.typing);
      ui.log.scrollTop = ui.log.scrollHeight;
    } else if (ui.typing) {
      ui.typing.remove();
    }
    ui.status.textContent = value ? T.typing : "";
  }

  // ---- Talking to the web app.

  function sendTyped() {
    const text = ui.input.value.trim();
    if (!text || busy) return;
    ui.input.value = "";
    send({ text });
  }

  function send(item, again) {
    const body = { sender_id: state.senderId, tenant: TENANT };
    if (item.payload) body.payload = item.payload;
    else body.text = item.text;
    const request = { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
    post(API + "/api/chat", request, item, again ? null : item.text || item.title);
  }

  function sendPhoto(file) {
    ui.file.value = "";
    if (!PHOTO_TYPES.includes(file.type)) return note(T.photoWrongType);
    if (file.size > MAX_PHOTO_BYTES) return note(T.photoTooLarge);
    const url = new URL(API + "/api/chat/" + encodeURIComponent(state.senderId) + "/photo");
    url.searchParams.set("tenant", TENANT);
    post(url.href, { headers: { "Content-Type": file.type }, body: file }, { file }, T.photoSent);
  }

  async function post(url, request, item, shown) {
    if (busy) return;
    clearChoices();
    if (shown) addMessage({ who: "me", text: shown });
    ui.input.focus();
    setBusy(true);
    const sender = state.senderId;
    let response;
    let answer = {};
    try {
      response = await fetch(url, { method: "POST", credentials: "omit", ...request });
      answer = await response.json().catch(() => ({}));
    } catch (_) {
      response = null;
    } finally {
      setBusy(false);
    }
    // "Nouvelle conversation" while waiting: this answer belongs to the old one.
    if (sender === state.senderId) handleAnswer(item, response, answer);
  }

  function retry(item) {
    if (item.file) sendPhoto(item.file);
    else send(item, true);
  }

  function handleAnswer(item, response, answer) {
    if (!response) return note(T.unreachable, item);
    if (response.ok || response.status === 503) {
      state.started = true;
      state.mode = answer.mode || state.mode;
      saveState();
      listen();
    }
    if (response.ok) {
      for (const reply of answer.replies || []) {
        addMessage({ who: "bot", text: reply.text, buttons: reply.buttons, photo: reply.accepts_photo === true });
      }
      if (!(answer.replies || []).length && answer.mode === "human") note(T.forwarded);
      return;
    }
    if (response.status === 503) {
      const reply = (answer.replies || [])[0];
      return note(reply ? reply.text : T.unreachable, item);
    }
    if (response.status === 429) {
      const seconds = parseInt(response.headers.get("Retry-After"), 10) || (answer.error || {}).retry_after || 60;
      return note(T.tooMany(seconds), item);
    }
    if (response.status === 409 && !item.file) return note(T.stale);
    if (response.status === 413) return note(T.photoTooLarge);
    note((answer.error || {}).message || T.refused);
  }

  // Mediator replies and notices arrive as server-sent events; EventSource reconnects by itself.
  function listen() {
    if (events || !state.started) return;
    const url = new URL(API + "/api/chat/" + encodeURIComponent(state.senderId) + "/events");
    url.searchParams.set("tenant", TENANT);
    if (state.lastEventId) url.searchParams.set("last_event_id", String(state.lastEventId));
    const source = new EventSource(url.href);
    events = source;
    source.addEventListener("open", () => (eventsRetry = 0));
    source.addEventListener("message", (event) => receive(JSON.parse(event.data)));
    source.addEventListener("status", (event) => statusChanged(JSON.parse(event.data).mode));
    source.addEventListener("error", () => {
      // A refusal (not 200) closes it for good: try again ourselves, ever less often.
      if (source.readyState !== EventSource.CLOSED || events !== source) return;
      events = null;
      eventsRetry = Math.min(eventsRetry * 2 || 2, 60);
      setTimeout(listen, eventsRetry * 1000);
    });
  }

  function receive(message) {
    if (state.messages.some((m) => m.id === message.id)) return;
    state.lastEventId = Math.max(state.lastEventId || 0, message.id);
    clearChoices(); // a message of the Régie starts a new turn: older buttons go
    addMessage({ who: "staff", id: message.id, text: message.text, buttons: message.buttons });
    if (!state.open) {
      unread += 1;
      updateLauncher();
    }
  }

  function statusChanged(mode) {
    if (mode === state.mode) return;
    state.mode = mode;
    saveState();
    note(mode === "human" ? T.human : T.bot_back);
  }

  function restart() {
    if (events) events.close();
    events = null;
    state = { senderId: newSenderId(), messages: [], lastEventId: 0, open: true, mode: "bot", started: false };
    ui.log.replaceChildren();
    welcome();
    ui.input.focus();
  }

  function welcome() {
    if (!state.messages.length) addMessage({ who: "bot", text: look.welcome_message });
  }

  // ---- Privacy: the notice before anyone writes, "Mes données" and erasure (docs/privacy.md).

  function privacyBar() {
    ui.notice = el("span", { class: "notice" });
    const mine = button(T.myData, {}, downloadMyData);
    const erase = button(T.erase, {}, askErase);
    return el("div", { class: "privacy" }, ui.notice, el("br"), mine, erase);
  }

  async function loadNotice() {
    if (ui.noticeShown) return;
    ui.noticeShown = true;
    try {
      const response = await fetch(API + "/api/widget/" + encodeURIComponent(TENANT) + "/privacy", { credentials: "omit" });
      const privacy = await response.json();
      const before = privacy.notice.split(privacy.page_url)[0];
      ui.notice.replaceChildren(before, link(privacy.page_url, T.privacyPage) || "");
    } catch (_) {
      ui.noticeShown = false; // tried again at the next opening
    }
  }

  // Authorised as POST /api/chat: this widget's own sender id, from a page the tenant allows.
  function postPrivacy(path, extra) {
    const body = Object.assign({ sender_id: state.senderId, tenant: TENANT }, extra);
    return fetch(API + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
    });
  }

  async function downloadMyData() {
    let response;
    try {
      response = await postPrivacy("/api/chat/my-data");
    } catch (_) {
      return note(T.unreachable);
    }
    if (response.status === 404) return note(T.noData);
    if (!response.ok) return note(T.refused);
    const url = URL.createObjectURL(await response.blob());
    const anchor = el("a", { href: url, download: "mes-donnees.json", hidden: "" });
    ui.panel.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    note(T.downloaded);
  }

  function askErase() {
    const question = note(T.eraseQuestion);
    question.append(
      button(T.eraseYes, {}, () => {
        question.remove();
        eraseMyData();
      }),
      button(T.eraseNo, {}, () => question.remove()),
    );
  }

  async function eraseMyData() {
    let response;
    try {
      response = await postPrivacy("/api/chat/erase", { confirm: true });
    } catch (_) {
      return note(T.unreachable);
    }
    // 404: nothing was stored for this id; the browser's copy goes all the same.
    if (!response.ok && response.status !== 404) return note((await response.json().catch(() => ({}))).error?.message || T.refused);
    try {
      localStorage.removeItem(STORE_KEY);
    } catch (_) {
      // Storage blocked: nothing was kept there.
    }
    restart();
    note(T.erased);
  }

  // ---- Start: fetch the tenant's look (this also tells whether this page may use it).

  async function start() {
    try {
      const response = await fetch(API + "/api/widget/" + encodeURIComponent(TENANT), { credentials: "omit" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      look = await response.json();
    } catch (error) {
      console.warn("Régie Assistant : widget indisponible sur cette page (" + error.message + ").");
      return;
    }
    const host = build();
    const lastTurn = state.messages.map((m) => m.who).lastIndexOf("me");
    state.messages.forEach((message, index) => {
      render(message);
      if (index > lastTurn && hasChoices(message)) showChoices(message);
    });
    welcome();
    document.body.append(host);
    if (state.open) openPanel(false);
    listen();
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
