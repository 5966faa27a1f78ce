// Live updates of the console: polls small JSON answers every few seconds; confirmations before removals.
// Every value is written with textContent: nothing a resident or a mediator typed becomes HTML.
"use strict";

(function () {
  const POLL_MS = 3000;
  const SENSITIVE = "Information sensible (santé, dettes…) : à ne pas recopier ; effacée automatiquement.";
  const body = document.body;

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.status === 401) {
      window.location.assign("/console/login");
      return null;
    }
    return response.ok ? response.json() : null;
  }

  function cell(row, text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function queueRow(item) {
    const row = document.createElement("tr");
    if (item.urgent) row.className = "urgent";
    cell(row, item.reason);
    cell(row, item.waiting);
    cell(row, item.tenant);
    cell(row, item.channel === "telegram" ? "Telegram" : "site web");
    cell(row, item.preview, "preview");
    cell(row, item.assigned_to || "—");
    const link = document.createElement("a");
    link.href = "/console/conversations/" + encodeURIComponent(item.id);
    link.textContent = "Ouvrir";
    cell(row, "").appendChild(link);
    return row;
  }

  async function refreshQueue() {
    const data = await getJson("/console/api/queue");
    if (!data) return;
    const tbody = document.getElementById("queue-body");
    const rows = data.items.map(queueRow);
    if (rows.length === 0) {
      const empty = document.createElement("tr");
      cell(empty, "Personne n'attend pour le moment.").colSpan = 7;
      rows.push(empty);
    }
    tbody.replaceChildren(...rows);
    document.getElementById("queue-count").textContent = String(data.items.length);
    document.title = "(" + data.items.length + ") File d'attente · Régie Assistant";
  }

  // Same words as the server-rendered page (conversation.html).
  function sensitiveFlag() {
    const flag = document.createElement("p");
    flag.className = "sensitive";
    flag.textContent = SENSITIVE;
    return flag;
  }

  function transcriptLine(message) {
    const li = document.createElement("li");
    li.className = "from-" + message.author;
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = message.author_name;
    const time = document.createElement("time");
    time.textContent = message.at;
    const text = document.createElement("p");
    text.className = "text";
    text.textContent = message.text || "[bouton : " + message.payload + "]";
    li.append(who, time, text);
    if (message.sensitive) li.append(sensitiveFlag());
    return li;
  }

  async function refreshConversation() {
    const id = body.dataset.conversation;
    const after = body.dataset.lastId || "0";
    const data = await getJson("/console/api/conversations/" + encodeURIComponent(id) + "/messages?after=" + after);
    if (!data) return;
    const list = document.getElementById("transcript");
    for (const message of data.messages) {
      list.appendChild(transcriptLine(message));
      body.dataset.lastId = String(message.id);
    }
    const closed = data.closed ? "yes" : "no";
    if (data.mode !== body.dataset.mode || closed !== body.dataset.closed) {
      document.getElementById("state-changed").hidden = false;
    }
  }

  // A form with data-confirm (removing a slot) asks first: a slip of the mouse must not withdraw anything.
  document.addEventListener("submit", (event) => {
    const question = event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });

  const refresh = { queue: refreshQueue, conversation: refreshConversation }[body.dataset.live];
  if (refresh) {
    window.setInterval(() => refresh().catch(() => {}), POLL_MS);
  }
})();
