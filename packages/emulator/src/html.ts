const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f9;color:#1c2330;line-height:1.5}
main{max-width:40rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin-top:0}h2{font-size:1.1rem}
code{background:#eef1f5;padding:0 .25rem;border-radius:3px;word-break:break-all}
fieldset{border:1px solid #c9d0da;border-radius:6px;margin:1rem 0}
.identity{margin:.35rem 0}.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.5rem .75rem}
.alert{background:#fdecea;border-left:4px solid #c62828;padding:.5rem .75rem}
.scope-rs{color:#5a6473;font-size:.9em}.optional{font-style:italic;color:#5a6473}
.actions{display:flex;gap:1rem;margin-top:1.5rem}
button{font-size:1rem;padding:.5rem 1.25rem;border-radius:6px;border:1px solid #2a5db0;cursor:pointer}
button.allow{background:#2a5db0;color:#fff}button.deny{background:#fff;color:#2a5db0}
input[type=text]{font-size:1rem;padding:.35rem;width:100%;box-sizing:border-box}
footer{font-size:.8rem;color:#5a6473;margin-top:2rem}
`;

/**
 * A complete HTML document. `body` must already be escaped; `title` is escaped here.
 */
export function renderPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Globus Auth emulator</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
<footer>Globus Auth emulator — a local stand-in for Globus Auth, for tests and development only.</footer>
</main>
</body>
</html>
`;
}

/** The error page shown when a browser request cannot be sent back to a trusted redirect URI. */
export function renderErrorPage(title: string, message: string): string {
  return renderPage(
    title,
    `<h1>${escapeHtml(title)}</h1>\n<p class="alert" role="alert">${escapeHtml(message)}</p>`,
  );
}
