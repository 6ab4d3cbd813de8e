// Layout problems of the page now open, as a list of sentences.
// Every table wider than the space it has must sit in a scroll container that the keyboard
// reaches (tabindex="0") and that stays inside the window, or its last columns are out of reach.
// Every button and button-looking link must show its text: an icon alone says nothing to most.
() => {
  const problems = [];
  const name = (el) => (el.id ? `#${el.id}` : el.tagName.toLowerCase())
    + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && el.closest("[hidden], [aria-hidden=true]") === null;
  };
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth + 1) {
    problems.push(`the page scrolls sideways: ${page.scrollWidth}px for ${page.clientWidth}px`);
  }
  for (const table of document.querySelectorAll("main table")) {
    if (!shown(table)) continue;
    let scroller = table.parentElement;
    while (scroller && scroller !== document.body) {
      const overflow = getComputedStyle(scroller).overflowX;
      if (overflow === "auto" || overflow === "scroll") break;
      scroller = scroller.parentElement;
    }
    const container = scroller && scroller !== document.body ? scroller : page;
    if (table.getBoundingClientRect().width <= container.clientWidth + 1) continue;
    const where = (table.caption ? table.caption.innerText.trim() : name(table)).slice(0, 60);
    if (container === page) {
      problems.push(`table "${where}" is wider than the page, with no scroll container`);
    } else if (container.tabIndex < 0) {
      problems.push(`table "${where}" scrolls in ${name(container)}, which the keyboard cannot reach (tabindex="0")`);
    } else if (container.getBoundingClientRect().right > page.clientWidth + 1) {
      problems.push(`table "${where}": its scroll container ${name(container)} goes past the window`);
    }
  }
  const buttons = "main button, main a.fr-btn, main input[type=submit], header button, header a.fr-btn";
  for (const button of document.querySelectorAll(buttons)) {
    if (!shown(button)) continue;
    const box = button.getBoundingClientRect();
    let text = "";
    let visible = false;
    if (button.tagName === "INPUT") {
      text = button.value.trim();
      visible = text !== "";
    } else {
      const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim()) continue;
        text += node.textContent.trim();
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of range.getClientRects()) {
          if (rect.width > 0 && rect.left >= box.left - 1 && rect.right <= box.right + 1
              && rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1) visible = true;
        }
      }
    }
    if (!visible) {
      problems.push(`button ${name(button)} "${text.slice(0, 50)}" shows no text (${Math.round(box.width)}×${Math.round(box.height)}px)`);
    }
  }
  return problems;
}
