// Noemen: typing @ and the start of a name in a reactie or a knelpunt suggests colleagues.
// Progressive enhancement: without this file you type "@Voornaam Achternaam" yourself and the
// server finds the name just the same (app/domain/mentions.py).
//
// The pattern: the textarea keeps its own role (ARIA in HTML allows no role on a textarea, so
// not role=combobox) and gets aria-autocomplete=list, aria-controls and aria-activedescendant;
// the suggestions are a role=listbox with role=option items; a polite live region says how
// many there are. Arrow keys move, Enter or Tab picks, Escape closes; the focus stays in the
// textarea. Suggestions come from GET /mensen/suggesties?q=… (JSON, at most 8, my teams first)
// and are written with textContent only.
"use strict";

(function () {
  var FIELDS = [
    'form[action$="/reacties"] textarea[name="body"]',
    'form[action$="/opschalen"] textarea[name="note"]',
    'form[action$="/doorsturen"] textarea[name="note"]',
    'form[action$="/oplossen"] textarea[name="resolution"]',
    'form[action$="/beantwoorden"] textarea[name="resolution"]',
  ].join(", ");
  var MAX_QUERY = 40;
  var WAIT_MS = 150;
  // what may come right before the @ of a mention: not a letter, digit or part of an address
  var ADDRESS_CHAR = /[\p{L}\p{N}_.%+\-/@]/u;

  var TEXT = {
    nl: {
      hint: "Typ @ en een naam om een collega te noemen.",
      label: "Collega's om te noemen",
      none: "Geen collega gevonden.",
      one: "1 collega gevonden. Kies met Enter, of met pijltjes omhoog en omlaag.",
      many: "%d collega's gevonden. Kies met pijltjes omhoog en omlaag en Enter.",
      picked: "%s genoemd.",
    },
    en: {
      hint: "Type @ and a name to mention a colleague.",
      label: "Colleagues to mention",
      none: "No colleague found.",
      one: "1 colleague found. Press Enter to choose, or use the up and down arrows.",
      many: "%d colleagues found. Use the up and down arrows and Enter to choose.",
      picked: "%s mentioned.",
    },
  };
  var lang = (document.documentElement.lang || "nl").slice(0, 2);
  var t = TEXT[lang] || TEXT.nl;
  var counter = 0;

  function say(state, message) {
    // a new text node each time, so the same message is announced again
    state.live.textContent = "";
    window.setTimeout(function () {
      state.live.textContent = message;
    }, 50);
  }

  function enhance(textarea) {
    if (textarea.mentionState) return textarea.mentionState;
    counter += 1;
    var id = "noemen-" + counter;
    var hint = document.createElement("span");
    hint.id = id + "-uitleg";
    hint.className = "visually-hidden";
    hint.textContent = t.hint;
    var list = document.createElement("ul");
    list.id = id + "-lijst";
    list.className = "noemen__lijst";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", t.label);
    var live = document.createElement("div");
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    textarea.insertAdjacentElement("afterend", live);
    textarea.insertAdjacentElement("afterend", hint);
    var described = textarea.getAttribute("aria-describedby");
    textarea.setAttribute("aria-describedby", (described ? described + " " : "") + hint.id);
    textarea.setAttribute("aria-autocomplete", "list");
    var state = {
      textarea: textarea,
      list: list,
      live: live,
      items: [],
      active: -1,
      at: -1,
      query: "",
      asked: 0,
      timer: 0,
    };
    textarea.mentionState = state;
    list.addEventListener("mousedown", function (event) {
      // keep the focus in the textarea; a click picks
      event.preventDefault();
      var option = event.target.closest('[role="option"]');
      if (option) pick(state, Number(option.dataset.index));
    });
    return state;
  }

  function typed(textarea) {
    // the @ and what follows it up to the caret, when that can be the start of a name
    var caret = textarea.selectionStart;
    if (caret !== textarea.selectionEnd) return null;
    var before = textarea.value.slice(0, caret);
    var at = before.lastIndexOf("@");
    if (at < 0 || caret - at - 1 > MAX_QUERY) return null;
    if (at > 0 && ADDRESS_CHAR.test(before.charAt(at - 1))) return null;
    var query = before.slice(at + 1);
    if (!query || /^\s|[\n\r@]|\s\s/.test(query)) return null;
    return { at: at, query: query };
  }

  // the list is in the page only while it has suggestions (an empty listbox, or an
  // aria-controls pointing at nothing, is not valid)
  function isOpen(state) {
    return state.list.isConnected;
  }

  function close(state) {
    state.list.remove();
    state.list.textContent = "";
    state.items = [];
    state.active = -1;
    state.textarea.removeAttribute("aria-activedescendant");
    state.textarea.removeAttribute("aria-controls");
  }

  function show(state, items) {
    state.items = items;
    state.list.textContent = "";
    if (!items.length) {
      close(state);
      say(state, t.none);
      return;
    }
    items.forEach(function (person, index) {
      var option = document.createElement("li");
      option.id = state.list.id + "-" + index;
      option.className = "noemen__optie";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.index = String(index);
      var name = document.createElement("span");
      name.className = "noemen__naam";
      name.textContent = person.name;
      option.appendChild(name);
      if (person.office) {
        var office = document.createElement("span");
        office.className = "noemen__vestiging";
        office.textContent = person.office;
        option.appendChild(document.createTextNode(" "));
        option.appendChild(office);
      }
      state.list.appendChild(option);
    });
    if (!isOpen(state)) state.textarea.insertAdjacentElement("afterend", state.list);
    state.textarea.setAttribute("aria-controls", state.list.id);
    move(state, 0);
    say(state, items.length === 1 ? t.one : t.many.replace("%d", String(items.length)));
  }

  function move(state, index) {
    var options = state.list.querySelectorAll('[role="option"]');
    if (!options.length) return;
    state.active = (index + options.length) % options.length;
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === state.active ? "true" : "false");
    });
    var current = options[state.active];
    state.textarea.setAttribute("aria-activedescendant", current.id);
    if (current.scrollIntoView) current.scrollIntoView({ block: "nearest" });
  }

  function pick(state, index) {
    var person = state.items[index];
    if (!person) return;
    var textarea = state.textarea;
    var start = state.at;
    var end = start + 1 + state.query.length;
    var value = textarea.value;
    var rest = value.slice(end);
    var insert = person.insert + (rest.charAt(0) === " " ? "" : " ");
    textarea.value = value.slice(0, start) + insert + rest;
    var caret = start + insert.length + (rest.charAt(0) === " " ? 1 : 0);
    textarea.setSelectionRange(caret, caret);
    close(state);
    say(state, t.picked.replace("%s", person.name));
    textarea.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function ask(state, found) {
    state.at = found.at;
    state.query = found.query;
    window.clearTimeout(state.timer);
    state.timer = window.setTimeout(function () {
      state.asked += 1;
      var asked = state.asked;
      fetch("/mensen/suggesties?q=" + encodeURIComponent(found.query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (answer) {
          return answer.ok ? answer.json() : [];
        })
        .then(function (items) {
          // only the answer to the last question counts, and only while it still fits
          if (asked !== state.asked || document.activeElement !== state.textarea) return;
          var still = typed(state.textarea);
          if (!still || still.query !== found.query) return;
          show(state, Array.isArray(items) ? items : []);
        })
        .catch(function () {
          close(state);
        });
    }, WAIT_MS);
  }

  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (field.matches && field.matches(FIELDS)) enhance(field);
  });

  document.addEventListener("input", function (event) {
    var state = event.target.mentionState;
    if (!state) return;
    var found = typed(state.textarea);
    if (!found) {
      window.clearTimeout(state.timer);
      state.asked += 1;
      close(state);
      return;
    }
    ask(state, found);
  });

  document.addEventListener("keydown", function (event) {
    var state = event.target.mentionState;
    if (!state || !isOpen(state) || !state.items.length) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(state, state.active + (event.key === "ArrowDown" ? 1 : -1));
    } else if ((event.key === "Enter" || event.key === "Tab") && !event.shiftKey) {
      if (state.active < 0) return;
      event.preventDefault();
      pick(state, state.active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      state.asked += 1;
      close(state);
    }
  });

  document.addEventListener("focusout", function (event) {
    var state = event.target.mentionState;
    if (state) {
      state.asked += 1;
      close(state);
    }
  });

  // a field focused before this file ran (autofocus after a refused save)
  var focused = document.activeElement;
  if (focused && focused.matches && focused.matches(FIELDS)) enhance(focused);
})();
