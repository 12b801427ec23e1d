() => {
  // A basic accessibility audit, run in the page by test_accessibility.py: returns the problems.
  const problems = [];
  const visible = el => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return s.visibility !== "hidden" && s.display !== "none" && r.width > 0 && r.height > 0;
  };
  // Every form control a person fills in has a label.
  for (const el of document.querySelectorAll("input, textarea, select")) {
    if (["hidden", "submit", "button"].includes(el.type) || !visible(el)) continue;
    const named = el.labels.length || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
    if (!named) problems.push(`unlabelled ${el.tagName.toLowerCase()} ${el.name || el.id}`);
  }
  // Landmarks and structure.
  if (document.querySelectorAll("main").length !== 1) problems.push("not exactly one <main>");
  if (!document.querySelector("nav[aria-label]")) problems.push("no labelled <nav>");
  if (!document.documentElement.lang) problems.push("no lang on <html>");
  if (document.querySelectorAll("h1").length !== 1) problems.push("not exactly one <h1>");
  if (!document.title.trim()) problems.push("no <title>");
  for (const img of document.querySelectorAll("img:not([alt])")) problems.push("img without alt");
  for (const b of document.querySelectorAll("button, a")) {
    if (visible(b) && !(b.textContent.trim() || b.getAttribute("aria-label"))) problems.push("nameless " + b.outerHTML.slice(0, 60));
  }
  // Contrast of every visible text, from computed colours (WCAG 2 AA: 4.5:1, 3:1 for large text).
  const parse = c => { const m = c.match(/[\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; };
  const lum = ({r, g, b}) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => {
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c.a > 0.5) return c; }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const checked = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let count = 0;
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || checked.has(el) || !visible(el)) continue;
    if (el.closest(".visually-hidden, .skip-link, [disabled], option, script, style, meter, progress")) continue;
    checked.add(el);
    const s = getComputedStyle(el);
    const fg = parse(s.color), bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    count++;
    if (ratio < need) problems.push(`contrast ${ratio.toFixed(2)} < ${need} for "${el.textContent.trim().slice(0, 40)}" (${s.color} on rgb(${bg.r},${bg.g},${bg.b}))`);
  }
  if (count < 5) problems.push("too little text was checked");
  return problems;
}
