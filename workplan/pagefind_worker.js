// Material's search worker for a large site: the same messages, answered from the chunked index
// (Pagefind) in pagefind/ instead of one lunr index (workplan/chunked_search.py writes this file,
// after workplan/search_worker.js, over the built site's assets/javascripts/workers/search.*.min.js).
//
// Material's page sends SETUP (0) with the config and the records of search/search_index.json (an
// empty list on a chunked site) and then each QUERY (2) as typed; it waits for READY (1) and
// renders RESULT (3) in its own dialog: the same input, result list, keyboard handling and
// "nothing found" text as on a small site. So only the engine changes, and the ranking rules of
// workplan/search_worker.js carry over:
//
// - an item number as people write it (3-4-2, 三（四）2 …; workplanSearch.itemNumber) is looked up
//   as its token, written into the keywords of the item's record as one Latin word (NUMBER_WORD,
//   the same in pagefind_index.mjs): the item alone, or the query as typed when no item has it;
// - several Latin words (pinyin typed with spaces) are also tried as one word, first;
// - a page titled exactly as typed comes first;
// - Material's page boosts (unit, county and group pages ×3) multiply Pagefind's scores.
// Pagefind weighs a match by the weight of the element it is in (pagefind_index.mjs: titles above
// keywords above text). Chinese is matched without Pagefind's own segmenter: see `cut` below.
(() => {
  "use strict"
  const PAGEFIND = new URL("../../../pagefind/", self.location.href).href
  const LIMIT = 12            // documents loaded (one fragment each) per query, grouped by page
  const SHOWN = 120           // characters of text shown under a result's title
  const LATIN = /^[a-z0-9]+$/i
  const NUMBER_WORD = token => `wpno${token.slice(1).split(".").join("x")}z`   // #3.4.2 -> wpno3x4x2z
  // A seam for the Node harness (workplan/pagefind_harness.mjs): a script run with vm cannot import().
  const importModule = self.workplanImport || (url => import(url))

  let ready
  function pagefind() {
    ready ||= (async () => {
      const pf = await importModule(`${PAGEFIND}pagefind.js`)
      await pf.options({ basePath: PAGEFIND, baseUrl: "/" })
      await pf.init()
      return pf
    })()
    return ready
  }

  const escape = text => String(text ?? "").replace(/[&<>"']/g, ch => `&#${ch.charCodeAt(0)};`)
  const plain = text => String(text ?? "").replace(/\s/g, "").normalize("NFKC").toLowerCase()

  // The words to mark in a result: the query's pieces as typed and as Intl.Segmenter cuts them
  function marks(query) {
    const words = new Set(query.split(/\s+/).filter(Boolean))
    if (typeof Intl.Segmenter !== "undefined")
      for (const { segment, isWordLike } of new Intl.Segmenter("zh", { granularity: "word" }).segment(query))
        if (isWordLike) words.add(segment)
    return [...words].sort((a, b) => b.length - a.length)
  }

  // Escaped text with <mark> around each word of `words` (longest first, case-insensitive)
  function highlight(text, words) {
    if (!words.length)
      return escape(text)
    const pattern = new RegExp(words.map(w => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gi")
    let out = "", last = 0
    for (const match of text.matchAll(pattern)) {
      out += `${escape(text.slice(last, match.index))}<mark>${escape(match[0])}</mark>`
      last = match.index + match[0].length
    }
    return out + escape(text.slice(last))
  }

  // Up to SHOWN characters of the text, from a little before the first marked word
  function snippet(text, words) {
    const lower = text.toLowerCase()
    const at = Math.min(...words.map(w => lower.indexOf(w.toLowerCase())).filter(i => i >= 0), Infinity)
    const start = at === Infinity || at < SHOWN / 3 ? 0 : at - 10
    const cut = text.slice(start, start + SHOWN)
    return `${start ? "…" : ""}${cut}${start + SHOWN < text.length ? "…" : ""}`
  }

  // The index holds, for every position of a run of Chinese, the 4 characters from there
  // (pagefind_index.mjs, indexed as a language Pagefind neither segments nor stems). A query's
  // Chinese runs are cut here with Intl.Segmenter into pieces of at most 4 characters: each is the
  // prefix of an indexed word wherever the text has it, however jieba cut that text.
  // (Without Intl.Segmenter — browsers before 2024 — runs are cut every 4 characters: still pieces
  // of the text, so still found.)
  const SEGMENTER = typeof Intl.Segmenter === "undefined" ? { segment: run => [{ segment: run }] }
    : new Intl.Segmenter("zh", { granularity: "word" })
  const HAN = /\p{sc=Han}+/gu
  const GRAM = 4   // pagefind_index.mjs GRAM: indexed words are the 4 characters from each position
  const pieces = word => word.match(new RegExp(`.{1,${GRAM}}`, "gu"))
  const cut = query => query.replace(HAN, run => ` ${[...SEGMENTER.segment(run)].flatMap(s => pieces(s.segment)).join(" ")} `)
    .replace(/[^\p{L}\p{N}]+/gu, " ").trim()

  // The query as typed, as words: each run of Chinese as the GRAM characters from its start, then
  // the next (each the prefix of an indexed word wherever the text has the run)
  const asTyped = query => query.replace(HAN, run => ` ${pieces(run).join(" ")} `).replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim().toLowerCase().split(" ")

  // Pagefind's results for the query, in runs that keep their order: the item a number names; for
  // pinyin typed with spaces, the pages that have the syllables as one word, then the others. Each
  // with the words searched and the query as typed (`terms`, `typed`: for `fits` below).
  // Runs of Chinese of at most GRAM characters (each then one indexed word wherever the text has
  // it) are looked up as typed first, when Intl.Segmenter cuts them finer (市财政局: 市 财政 局):
  // when that finds LIMIT documents they are the answer, and the index chunks of the short pieces
  // (every word starting with 市, ~65 KB at 100×) are not downloaded. Otherwise the cut pieces.
  async function results(pf, query) {
    const token = self.workplanSearch.itemNumber(query)
    if (token) {
      const found = await pf.search(NUMBER_WORD(token))
      if (found.results.length)
        return found.results.map(result => ({ result, run: 0, terms: [NUMBER_WORD(token)], typed: [NUMBER_WORD(token)] }))
    }
    const typed = asTyped(query)
    if ((query.match(HAN) ?? []).every(run => run.length <= GRAM) && typed.join(" ") !== cut(query).toLowerCase()) {
      const found = (await pf.search(typed.join(" "))).results
      if (found.length >= LIMIT)
        return found.map(result => ({ result, run: 0, terms: typed, typed }))
    }
    const parts = query.trim().split(/\s+/)
    const runs = parts.length > 1 && parts.every(p => LATIN.test(p)) ? [parts.join(""), query] : [query]
    const seen = new Set(), out = []
    for (const [run, text] of runs.entries()) {
      const terms = cut(text).toLowerCase().split(" ")
      for (const result of (await pf.search(cut(text))).results)
        if (!seen.has(result.id)) {
          seen.add(result.id)
          out.push({ result, run, terms, typed })
        }
    }
    return out
  }

  // How well each piece of a document — the page's own text or one section (Pagefind's
  // sub_results) — holds the query: 2 when it has the query as typed (`typed`: each run of Chinese
  // as the GRAM characters from its start, then the next, one indexed word each); 1 when it has
  // every word searched (`terms`: the runs as Intl.Segmenter cut them); 0 otherwise. A document
  // is a whole page (pagefind_index.mjs), so 港站 (cut 港 站) finds an item with 港 in its title
  // and 站 in the 网站 of its progress section: it comes after the items that say 港站 (sorted by
  // the best piece), and only the pieces that hold the query are shown, as when each section was
  // a document.
  function fits(record, terms, typed) {
    const words = record.content.split(/[^\S\uFEFF]+/)   // Pagefind's locations count these words
    const has = (sub, wanted) => wanted.every(term => sub.locations.some(at => (words[at] ?? "").toLowerCase().startsWith(term)))
    return (record.sub_results ?? []).map(sub => ({ sub, fit: has(sub, typed) ? 2 : has(sub, terms) ? 1 : 0 }))
  }

  // The words a result is said to match, as Material's `terms` (word -> found): the marked words its
  // title or text holds, else every word of the query (it matched through keywords such as pinyin);
  // a word inside a longer one is left out (市 of 市财政局). Material puts them into the result's
  // link (?h=…) to highlight them on the page.
  function termsOf(words, shown) {
    const lower = shown.toLowerCase()
    const held = words.filter(word => lower.includes(word.toLowerCase()))
    const pick = held.length ? held : words
    const outer = pick.filter(word => !pick.some(other => other.length > word.length && other.toLowerCase().includes(word.toLowerCase())))
    return Object.fromEntries(outer.map(word => [word, true]))
  }

  // A page or section as the dialog renders it
  const doc = (location, title, text, score, words) =>
    ({ location, title: highlight(title ?? "", words), text: highlight(snippet(text ?? "", words), words), score,
       terms: termsOf(words, `${title ?? ""} ${text ?? ""}`) })

  // The dialog's documents of one Pagefind document (a page, or a part of a long one): the page
  // itself when the query matched its own text, and the sections it matched (by their anchors);
  // only the pieces that hold the query (`fits`) when some do; best first
  function recordDocs(record, words) {
    const page = record.meta.page ?? record.url.replace(/^\//, "").split("#")[0]
    const sections = JSON.parse(record.meta.sections || "{}")
    const weight = sub => sub.weighted_locations.reduce((sum, l) => sum + l.balanced_score, 0)
    const shown = record.pieces.filter(({ fit }) => fit >= Math.min(1, record.fit))
      .sort((a, b) => b.fit - a.fit || weight(b.sub) - weight(a.sub))
    const out = []
    for (const { sub } of shown) {
      const id = sub.anchor?.id
      if (id === undefined)
        out.push(doc(page, record.meta.title, record.meta.text, record.score, words))
      else if (sections[id])
        out.push(doc(`${page}#${id}`, sections[id][0], sections[id][1], record.score, words))
    }
    return { page, docs: out }
  }

  // Result groups as Material's worker sends them: one per page, its own record first (made from
  // the page title when only sections matched), then its matching sections; best page first.
  async function search(query) {
    if (!query.trim())
      return []
    const pf = await pagefind()
    // Material's page boosts (unit, county and group pages: search.UNIT_PAGE_SEARCH_BOOST; long
    // overview pages below 1), for which Pagefind has no place, applied to the documents loaded
    const found = (await results(pf, query)).slice(0, LIMIT)
    const records = (await Promise.all(found.map(({ result, run, terms, typed }) => result.data().then(data =>
      ({ ...data, run, score: result.score * (Number(data.meta.boost) || 1), pieces: fits(data, terms, typed) })))))
      .map(record => ({ ...record, fit: Math.max(0, ...record.pieces.map(({ fit }) => fit)) }))
      .sort((a, b) => a.run - b.run || b.fit - a.fit || b.score - a.score)
    const words = marks(query)
    const groups = new Map()   // page -> { title, docs }
    for (const record of records) {
      const { page, docs: shown } = recordDocs(record, words)
      if (!groups.has(page))
        groups.set(page, { title: record.meta.page_title ?? record.meta.title, docs: [] })
      groups.get(page).docs.push(...shown)
    }
    const typed = plain(query)
    const titled = ([, group]) => plain(group.title) === typed
    const ordered = [...groups].filter(titled).concat([...groups].filter(entry => !titled(entry)))
    return ordered.map(([page, { title, docs }]) => {
      const own = docs.findIndex(d => d.location === page)
      const first = own >= 0 ? docs.splice(own, 1)[0]
        : { location: page, title: highlight(title ?? "", words), text: "", score: docs[0]?.score ?? 0,
            terms: termsOf(words, title ?? "") }
      return [first, ...docs]
    })
  }

  // Message types (Material's SearchMessageType): 0 SETUP, 1 READY, 2 QUERY, 3 RESULT
  // Queries are answered one after the other, so a slow answer never replaces a later one; and only
  // the latest query is answered: the page sends one per keystroke, and the answer to an earlier
  // one (市 of 市财政局) arriving after the reader has moved into the list would redraw the list
  // under the keyboard focus. Material's own worker answers synchronously, so it never has to.
  let queue = Promise.resolve()
  let latest = 0
  addEventListener("message", ({ data }) => {
    if (data.type === 0) {
      pagefind().catch(() => {})   // start loading now, as Material loads its index on every page
      postMessage({ type: 1 })
    } else if (data.type === 2) {
      const asked = ++latest
      queue = queue.then(() => asked === latest ? search(data.data) : null).catch(error => {
        console.error("search:", error)
        return []
      }).then(items => {
        if (items !== null && asked === latest)
          postMessage({ type: 3, data: { items } })
      })
    }
  })
})();
