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
// Each record (a page, or a section of one, as in Material's index) becomes a small HTML document
// Pagefind parses, so a long page (the 工作要点, thousands of sections at 100×) is many small
// fragments, not one of hundreds of KB: the title as <h1>, the keywords and the text, with their
// weights (data-pagefind-weight: the role of lunr's field boosts). Meta (from ignored elements, so
// not indexed twice): the title and text without markup, which the worker shows; the record's
// page boost, which the worker applies; its page and that page's title, to group sections under
// their page as Material's dialog does. The keywords are never shown.
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
const pageTitles = new Map(docs.filter(doc => !doc.location.includes("#")).map(doc => [doc.location, plain(doc.title)]))

const { index, errors } = await pagefind.createIndex({ forceLanguage: LANGUAGE })
if (!index) throw new Error(`pagefind: ${errors.join("; ")}`)
let count = 0
for (const doc of docs) {
  const [page, section] = doc.location.split("#")
  const body = [
    `<h1 data-pagefind-weight="${section === undefined ? WEIGHTS.title : WEIGHTS.section_title}">${spaced(doc.title)}</h1>`,
    doc.keywords ? `<p data-pagefind-weight="${WEIGHTS.keywords}">${spaced(escape(numberWords(doc.keywords)))}</p>` : "",
    `<div data-pagefind-weight="${WEIGHTS.text}">${spaced(doc.text)}</div>`,
  ].join("\n")
  // Meta from ignored elements: kept for the result, not indexed a second time
  const meta = { title: plain(doc.title), text: plain(doc.text).slice(0, WEIGHTS.shown_chars), boost: Number(doc.boost ?? 1),
                 page, page_title: pageTitles.get(page) ?? plain(doc.title) }
  const html = `<!doctype html><html lang="${LANGUAGE}"><head><meta charset="utf-8"></head><body data-pagefind-body>` +
    Object.entries(meta).map(([key, value]) => `<p data-pagefind-ignore data-pagefind-meta="${key}">${escape(value)}</p>`).join("") +
    `${body}</body></html>`
  const added = await index.addHTMLFile({ url: `/${doc.location}`, content: html })
  if (added.errors.length) throw new Error(`pagefind: ${doc.location}: ${added.errors.join("; ")}`)
  count++
}
const written = await index.writeFiles({ outputPath: outDir })
if (written.errors.length) throw new Error(`pagefind: ${written.errors.join("; ")}`)
await pagefind.close()
process.stdout.write(JSON.stringify({ records: count }))
