// Build the chunked search index (Pagefind) of a large site from the site's own search records
// (workplan/chunked_search.py runs it after the MkDocs build).
//
//   node pagefind_index.mjs SEARCH_INDEX_JSON OUT_DIR
//
// The records are the ones Material's single index holds (search/search_index.json, with the
// hidden `keywords` field of workplan/search_terms.py: names, pinyin, item number tokens), so both
// indexes find a page by the same words. Why records and not the built HTML: the HTML of a large
// site is ~1 GB (Pagefind needed 6.6 GB of memory for it, maintainers/performance.md), and the
// records already leave out navigation and the item lists of unit pages (data-search-exclude).
//
// Pagefind records one entry per document in its metadata file (pagefind.*.pf_meta: the fragment's
// hash, word count and group, ~6.5 bytes gzipped), which every first search downloads whole: at
// 100× one document per record of Material's index (a page or a section, 40,372) made it 259 KB.
// So a page and its sections are one document (maintainers/search.md): the page's title as <h1>,
// its keywords and text, then each section as an <h2 id> (its anchor, as in Material's index) with
// its text; Pagefind's sub_results then say which sections matched, and the dialog shows them under
// the page as before. A long page (the 工作要点, thousands of sections at 100×) is cut into parts of
// about `part_chars` characters (WEIGHTS), each a document, so the fragment a result loads stays small.
// Weights (data-pagefind-weight) play the role of lunr's field boosts. Meta (from ignored elements,
// so not indexed twice): the title and text without markup, which the worker shows; the page boost,
// which the worker applies; the page and its title, to group parts under their page; the sections'
// titles and texts by anchor. The keywords are never shown.
import { readFileSync } from "node:fs"
import * as pagefind from "pagefind"

// Weights (Pagefind: 0–10, default 1; h1 7) and the characters of text kept for the result:
// WEIGHTS in workplan/chunked_search.py, passed in as JSON so the measured values live in one place.
const [indexPath, outDir, weightsJson] = process.argv.slice(2)
if (!indexPath || !outDir || !weightsJson) {
  console.error("usage: pagefind_index.mjs SEARCH_INDEX_JSON OUT_DIR WEIGHTS_JSON")
  process.exit(2)
}
const WEIGHTS = JSON.parse(weightsJson)
// A language Pagefind neither segments nor stems: the words are the ones written here. (As "zh" its
// own segmenter re-cut them, and the browser's cut of a query missed them: 赣州市财政局 found
// everything with 赣州 but not 市财政局.)
const LANGUAGE = "und"

const escape = text => String(text).replace(/[&<>"]/g, ch => `&#${ch.charCodeAt(0)};`)
// Chinese as the words a query can match. Pagefind matches each query word as the prefix of an
// indexed word, and the worker cuts a query with Intl.Segmenter (pieces of at most GRAM characters),
// which need not cut where jieba cut the text: so every position of a run of Chinese gets the
// GRAM characters from there as a word (市财政局 -> 市财政局 财政局 政局 局), and any piece of the
// run is the prefix of one of them. Only indexed: the result shows the meta text.
const GRAM = 4   // pagefind_worker.js GRAM
const grams = run => Array.from({ length: run.length }, (_, i) => run.slice(i, i + GRAM)).join(" ")
const spaced = html => String(html ?? "").replace(/\u200b/g, "").replace(/[\u4e00-\u9fff]+/g, run => ` ${grams(run)} `)
const plain = html => String(html ?? "").replace(/<[^>]*>/g, " ").replace(/\u200b/g, "")
  .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&#39;/g, "'").replace(/&amp;/g, "&")
  .replace(/\s+/g, " ").trim()

// An item's number token (#3.4.2, search_terms.item_number_token) as one Latin word Pagefind keeps
// whole: wpno3x4x2z (the worker, pagefind_worker.js NUMBER_WORD, looks it up the same way).
const numberWords = text => String(text).replace(/#(\d+(?:\.\d+)*)/g, (_, n) => `wpno${n.split(".").join("x")}z`)

const { docs } = JSON.parse(readFileSync(indexPath, "utf8"))

// Material's records as pages, in the index's order: each page's own record and its sections
const pages = new Map()   // page -> { own, sections: [{ id, doc }] }
for (const doc of docs) {
  const [page, id] = doc.location.split("#")
  if (!pages.has(page))
    pages.set(page, { own: undefined, sections: [] })
  if (id === undefined)
    pages.get(page).own = doc
  else
    pages.get(page).sections.push({ id, doc })
}

// A page's documents: its own record and as many sections as fit in `part_chars` characters of text,
// then the next sections, and so on (a section is never cut)
const size = doc => plain(doc.title).length + plain(doc.text).length
function parts({ own, sections }) {
  const out = [{ own, sections: [], chars: own ? size(own) : 0 }]
  for (const section of sections) {
    const last = out[out.length - 1]
    const chars = size(section.doc)
    if (last.chars + chars > WEIGHTS.part_chars && (last.own || last.sections.length))
      out.push({ own: undefined, sections: [section], chars })
    else {
      last.sections.push(section)
      last.chars += chars
    }
  }
  return out
}

// A record's words: its title (as `tag`, with `attrs`), keywords and text, each with its weight
const indexed = (doc, tag, attrs, titleWeight) => [
  `<${tag}${attrs} data-pagefind-weight="${titleWeight}">${spaced(doc.title)}</${tag}>`,
  doc.keywords ? `<p data-pagefind-weight="${WEIGHTS.keywords}">${spaced(escape(numberWords(doc.keywords)))}</p>` : "",
  `<div data-pagefind-weight="${WEIGHTS.text}">${spaced(doc.text)}</div>`,
].join("\n")

const { index, errors } = await pagefind.createIndex({ forceLanguage: LANGUAGE })
if (!index) throw new Error(`pagefind: ${errors.join("; ")}`)
let count = 0
for (const [page, entry] of pages) {
  const pageTitle = plain((entry.own ?? entry.sections[0].doc).title)
  const boost = Number((entry.own ?? entry.sections[0].doc).boost ?? 1)
  for (const part of parts(entry)) {
    const body = [
      part.own ? indexed(part.own, "h1", "", WEIGHTS.title) : "",
      ...part.sections.map(({ id, doc }) => indexed(doc, "h2", ` id="${escape(id)}"`, WEIGHTS.section_title)),
    ].join("\n")
    const sections = Object.fromEntries(part.sections.map(({ id, doc }) =>
      [id, [plain(doc.title), plain(doc.text).slice(0, WEIGHTS.shown_chars)]]))
    // Meta from ignored elements: kept for the result, not indexed a second time
    const meta = { title: part.own ? plain(part.own.title) : pageTitle,
                   text: part.own ? plain(part.own.text).slice(0, WEIGHTS.shown_chars) : "",
                   boost, page, page_title: pageTitle, sections: JSON.stringify(sections) }
    const html = `<!doctype html><html lang="${LANGUAGE}"><head><meta charset="utf-8"></head><body data-pagefind-body>` +
      Object.entries(meta).map(([key, value]) => `<p data-pagefind-ignore data-pagefind-meta="${key}">${escape(value)}</p>`).join("") +
      `${body}</body></html>`
    // A page's later parts are addressed by their first section (a document's address is its key)
    const url = part.own || !part.sections.length ? `/${page}` : `/${page}#${part.sections[0].id}`
    const added = await index.addHTMLFile({ url, content: html })
    if (added.errors.length) throw new Error(`pagefind: ${url}: ${added.errors.join("; ")}`)
    count++
  }
}
const written = await index.writeFiles({ outputPath: outDir })
if (written.errors.length) throw new Error(`pagefind: ${written.errors.join("; ")}`)
await pagefind.close()
process.stdout.write(JSON.stringify({ records: docs.length, documents: count }))
