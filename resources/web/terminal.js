// The terminal page: xterm.js on a WebSocket to coved, which bridges it to a shell in the sandbox.
// The token comes from the app (window.coveTerminalConfig, injected before this runs) or from the URL
// fragment (#token=...), which is removed from the address bar at once. window.coveTerminal is the
// page's API for the app and for tests.
(function () {
  "use strict";
  const config = window.coveTerminalConfig || {};
  // In a browser the page speaks the browser's language (English or Chinese); in the app, the app's.
  const builtIn = {
    en: {
      title: "Cove terminal",
      connecting: "Connecting…",
      disconnected: "Disconnected from the sandbox.",
      exited: "The shell exited (code %1).",
      reconnect: "Reconnect",
      noToken: "This link holds no terminal token. Open the terminal from Cove again.",
      failed: "The terminal could not be opened: the link may have expired. Open it from Cove again.",
    },
    zh: {
      title: "Cove 终端",
      connecting: "正在连接…",
      disconnected: "与沙箱的连接已断开。",
      exited: "Shell 已退出（代码 %1）。",
      reconnect: "重新连接",
      noToken: "此链接不含终端令牌。请从 Cove 重新打开终端。",
      failed: "无法打开终端：链接可能已过期。请从 Cove 重新打开。",
    },
  };
  const languages = navigator.languages || [navigator.language || "en"];
  const chinese = languages.some((l) => String(l).toLowerCase().startsWith("zh"));
  const text = Object.assign({}, chinese ? builtIn.zh : builtIn.en, config.strings || {});
  if (!config.strings)
    document.title = text.title;

  let token = config.token || "";
  const fragment = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (fragment) {
    token = decodeURIComponent(fragment[1]);
    history.replaceState(null, "", location.pathname + location.search);
  }
  const sandboxId = decodeURIComponent(location.pathname.split("/")[2] || "");
  const socketBase = config.socketUrl ||
    (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/terminal/" +
      encodeURIComponent(sandboxId) + "/socket";

  const term = new Terminal({
    cursorBlink: true,
    scrollback: 10000,
    fontSize: 14,
    fontFamily: '"DejaVu Sans Mono", "Noto Sans Mono CJK SC", "Noto Color Emoji", monospace',
    theme: { background: "#1e1e1e", foreground: "#d4d4d4" },
  });
  const fit = new FitAddon.FitAddon();
  term.loadAddon(fit);
  term.open(document.getElementById("terminal"));
  fit.fit();

  const bar = document.getElementById("bar");
  const status = document.getElementById("status");
  const reconnectButton = document.getElementById("reconnect");
  reconnectButton.textContent = text.reconnect;
  function show(message, canReconnect, info) {
    status.textContent = message;
    bar.classList.toggle("info", !!info);
    reconnectButton.hidden = !canReconnect;
    bar.hidden = false;
    fit.fit();
  }
  function hide() {
    bar.hidden = true;
    fit.fit();
  }

  const encoder = new TextEncoder();
  // Flow control: past HIGH bytes handed to xterm.js and not yet drawn, coved stops sending until the
  // backlog falls under LOW.
  const HIGH = 512 * 1024, LOW = 64 * 1024;
  let pending = 0, paused = false;
  let socket = null, state = "idle", resumeToken = "", opened = false, exitCode = null;

  function sendControl(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }
  function sendInput(data) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(encoder.encode(data));
  }
  function written(n) {
    pending -= n;
    if (paused && pending < LOW) {
      paused = false;
      sendControl({ type: "resume" });
    }
  }
  function output(bytes) {
    pending += bytes.length;
    term.write(bytes, () => written(bytes.length));
    if (!paused && pending > HIGH) {
      paused = true;
      sendControl({ type: "pause" });
    }
  }

  function connect(withToken) {
    if (!withToken) {
      state = "failed";
      show(text.noToken, false);
      return;
    }
    state = "connecting";
    opened = false;
    exitCode = null;
    pending = 0;
    paused = false;
    show(text.connecting, false, true);
    const url = socketBase + "?token=" + encodeURIComponent(withToken) + "&cols=" + term.cols + "&rows=" + term.rows;
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    socket = ws;
    ws.onmessage = (event) => {
      if (typeof event.data === "string") {
        let message = null;
        try { message = JSON.parse(event.data); } catch (e) { message = null; }
        if (message && message.type === "control") {
          if (message.status === "connected") {
            opened = true;
            state = "connected";
            resumeToken = message.resumeToken || "";
            hide();
            // The size may have changed while connecting.
            sendControl({ type: "resize", cols: term.cols, rows: term.rows });
            term.focus();
          } else if (message.status === "exited") {
            exitCode = message.exitCode;
            resumeToken = "";
          } else if (message.status === "error") {
            term.write("\r\n" + (message.error || "") + "\r\n");
          }
          return;
        }
        output(encoder.encode(event.data));
        return;
      }
      output(new Uint8Array(event.data));
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      if (exitCode !== null) {
        state = "exited";
        show(text.exited.replace("%1", String(exitCode)), false, true);
      } else if (opened) {
        state = "disconnected";
        show(text.disconnected, !!resumeToken);
      } else {
        // A resume refused because coved has not yet seen the old socket go can be tried again.
        state = "failed";
        show(text.failed, !!resumeToken);
      }
    };
  }

  term.onData((data) => sendInput(data));
  term.onBinary((data) => {
    const bytes = new Uint8Array(data.length);
    for (let i = 0; i < data.length; ++i) bytes[i] = data.charCodeAt(i) & 0xff;
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(bytes);
  });
  term.onResize(({ cols, rows }) => sendControl({ type: "resize", cols, rows }));
  window.addEventListener("resize", () => fit.fit());
  reconnectButton.addEventListener("click", () => connect(resumeToken));

  window.coveTerminal = {
    term,
    get state() { return state; },
    // Types as if from the keyboard.
    send: sendInput,
    // The visible screen and scrollback as text, one line per row.
    text() {
      const buffer = term.buffer.active;
      const lines = [];
      for (let i = 0; i < buffer.length; ++i) lines.push(buffer.getLine(i).translateToString(true));
      return lines.join("\n");
    },
    selection() { return term.getSelection(); },
    paste(data) { term.paste(data); },
    // Opens a new session with a fresh token (the app's Reconnect).
    connect(newToken) {
      if (socket) { const old = socket; socket = null; old.close(); }
      term.reset();
      connect(newToken);
    },
    // Reattaches to the same shell, as the Reconnect button does.
    reconnect() { connect(resumeToken); },
    // For tests: drops the socket as a network failure would.
    drop() { if (socket) socket.close(); },
  };

  connect(token);
})();
