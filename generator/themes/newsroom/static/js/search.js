// The search page: results from the index Pagefind built with the site (pagefind/ at the site's root).
// The form works without this script (it submits ?q= to this page); with it, results appear as
// one types, the status line (a live region) says how many, and the URL keeps the query.
const SHOWN = 20;

const root = document.querySelector("[data-search]");
if (root) {
  start(root);
}

async function start(root) {
  const form = root.querySelector("form");
  const input = form.querySelector("input[name=q]");
  const section = form.querySelector("select[name=section]");
  const status = root.querySelector("[data-search-status]");
  const list = root.querySelector("[data-search-results]");
  const base = root.dataset.base || "/";
  let pagefind;
  try {
    pagefind = await import(`${base}pagefind/pagefind.js`);
    await pagefind.options({ baseUrl: base });
    await pagefind.init();
  } catch (error) {
    status.textContent = root.dataset.unavailable;
    root.classList.add("search-unavailable");
    return;
  }

  // The query in the URL, unless the reader typed or chose something while the index loaded.
  const params = new URLSearchParams(location.search);
  if (!input.value) {
    input.value = params.get("q") || "";
  }
  if (section && !section.value) {
    section.value = params.get("section") || "";
  }
  let latest = 0;

  async function run() {
    const query = input.value.trim();
    const ticket = ++latest;
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    const filters = section && section.value ? { section: section.value } : {};
    const search = await pagefind.search(query, { filters });
    const found = await Promise.all(search.results.slice(0, SHOWN).map((result) => result.data()));
    if (ticket !== latest) {
      return; // a newer query is on its way
    }
    list.replaceChildren(...found.map(item));
    status.textContent = message(search.results.length, query);
    root.classList.add("search-ready");
  }

  function message(count, query) {
    // One sentence for any number: no plural forms to choose among, in any language.
    const text = count === 0 ? root.dataset.none : root.dataset.count;
    const said = text.replace("{count}", String(count)).replace("{query}", query);
    return count > SHOWN ? `${said} ${root.dataset.more.replace("{shown}", String(SHOWN))}` : said;
  }

  function remember() {
    const next = new URLSearchParams();
    if (input.value.trim()) {
      next.set("q", input.value.trim());
    }
    if (section && section.value) {
      next.set("section", section.value);
    }
    const query = next.toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    remember();
    run();
  });
  input.addEventListener("input", () => {
    remember();
    run();
  });
  if (section) {
    section.addEventListener("change", () => {
      remember();
      run();
    });
  }
  if (input.value.trim()) {
    remember();
    run();
  }
}

// One result: the article's title as a link, its date, and the passage that matched.
function item(data) {
  const entry = document.createElement("li");
  entry.className = "search-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  entry.append(heading);
  if (data.meta.date) {
    const date = document.createElement("p");
    date.className = "search-result-date";
    date.textContent = data.meta.date;
    entry.append(date);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "search-result-excerpt";
  excerpt.append(...marked(data.excerpt));
  entry.append(excerpt);
  return entry;
}

// The excerpt is escaped text with <mark> around the words found: its text and marks, nothing else.
function marked(html) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body.firstChild;
  return Array.from(parsed.childNodes, (node) => {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      return mark;
    }
    return document.createTextNode(node.textContent);
  });
}
