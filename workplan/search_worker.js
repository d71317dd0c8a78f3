// Added to Material's search worker by workplan/search.py (patch_search_worker), whose patches route
// the worker's Search.search(query) through workplanSearch.search and its cut of Chinese queries
// through workplanSearch.cut (issue 17):
//
// 1. Item numbers as people write them: 3-4-2, 三（四）2, 三(四)-2, 三（四）-2, 一-5, 1-5,
//    三（四）第2项 … become the token an item's page carries in its hidden `keywords` field
//    (#3.4.2, workplan/search_terms.py), searched as a required exact term. Searched as written,
//    a number is cut into 3, 4 and 2, each matched as a prefix of every number in the index
//    (2 matches 2020 on every page). When no page has the token (三-5), the query runs as written.
// 2. Query terms: Material makes every term a prefix (财政 finds 财政局), and lunr adds up every word
//    a prefix expands to, and rarer words weigh more: for swj, the rarer swjw (市卫健委) outranked
//    swj (市税务局, 市商务局). So every term also counts as a whole word (EXACT_BOOST). Several Latin
//    words (pinyin typed with spaces) are also tried as one, as a name's pinyin is indexed: that tells
//    "shi zhi you guan bu men" (市直有关部门) from 市直(驻市)有关部门, which has the same syllables.
//    When Material's cut of a Chinese run into the index's words gives up (it returns the whole run
//    when one position starts no indexed word), the longest indexed word at each position is taken.
//    A page titled exactly as typed comes first.
// 3. What the dialog shows: jieba's cuts are joined with U+200B in the index, and the worker
//    returns titles and texts with them, so copying a result's title gave 市\u200b财政局. They are
//    removed here, with the hidden fields the dialog does not use.
(() => {
  "use strict"
  const HIDDEN_FIELDS = ["keywords"]
  const NUMERAL = "(\\d+|[一二三四五六七八九十]+)"
  const DASH = "\\s*[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u3001]\\s*"   // - ‐ ‑ ‒ – — ― − 、
  const ITEM_NUMBER = new RegExp(
    `^${NUMERAL}(?:${DASH}|\\s*(?=\\())` +                    // part: 三- / 3- / 三(
    `(?:\\(\\s*${NUMERAL}\\s*\\)(?:${DASH}|\\s*)|${NUMERAL}${DASH})?` +  // sub: (四) / (四)- / 4-
    `第?\\s*${NUMERAL}\\s*项?$`)                                // number: 2 / 第2项

  // "12", "三", "十二", "二十三" -> 12, 3, 12, 23
  function value(numeral) {
    if (/^\d+$/.test(numeral))
      return parseInt(numeral, 10)
    const digit = ch => "一二三四五六七八九".indexOf(ch) + 1
    const match = /^([一二三四五六七八九]?)(十?)([一二三四五六七八九]?)$/.exec(numeral)
    if (!match)
      return NaN
    const [, tens, ten, ones] = match
    return ten ? (tens ? digit(tens) : 1) * 10 + (ones ? digit(ones) : 0) : digit(tens || ones)
  }

  // The token of the item a query names, or undefined: "三（四）2" -> "#3.4.2"
  function itemNumber(query) {
    const match = ITEM_NUMBER.exec(query.normalize("NFKC").trim())
    if (!match)
      return undefined
    const parts = match.slice(1).filter(part => part !== undefined).map(value)
    return parts.every(n => n > 0) ? `#${parts.join(".")}` : undefined
  }

  const HAN = /\p{sc=Han}+/gu
  const WORD = /^[\p{sc=Han}\p{L}\p{N}]+$/u     // a plain term: no operator, no separator
  const LATIN = /^[a-z0-9]+$/i
  const EXACT_BOOST = 10

  // The index's words in a run of Chinese: Material's segment(), which gives up (returns the
  // whole run) when some position starts no indexed word — as in 青龙岩 when jieba cut the text
  // 寻|乌青|龙岩. Then the longest indexed word at each position, skipping the others.
  function words(run, segment, indexed) {
    const cut = [...segment(run)]
    if (cut.length !== 1 || cut[0] !== run || indexed(run))
      return cut
    const found = []
    for (let i = 0; i < run.length;) {
      let j = run.length
      while (j > i + 1 && !indexed(run.slice(i, j)))
        j--
      if (indexed(run.slice(i, j))) {
        found.push(run.slice(i, j))
        i = j
      } else {
        i++
      }
    }
    return found.length ? found : cut
  }

  // The query as lunr terms: Chinese runs cut into the index's words, each plain term once as a
  // whole word (boosted) and once as a prefix (Material adds the *). `index`: lunr's inverted index.
  function cut(query, segment, index) {
    const indexed = word => word in index
    const cutQuery = query.replace(HAN, run => ` ${words(run, segment, indexed).join(" ")} `)
    return cutQuery.split(/\s+/).filter(Boolean)
      .map(term => WORD.test(term) ? `${term}^${EXACT_BOOST} ${term}` : term).join(" ")
  }

  // Several Latin words, also as one: ["shizhiyouguanbumen"] for "shi zhi you guan bu men"
  function joined(query) {
    const parts = query.trim().split(/\s+/)
    return parts.length > 1 && parts.every(part => LATIN.test(part)) ? [parts.join("")] : []
  }

  // A result as the dialog needs it: no U+200B, no hidden fields, no terms we added to the query,
  // and no term labelled missing ("缺少") that its title or text shows: lunr matched the words jieba
  // cut this text into (中共|赣州|市委|组织部), which need not be the words the query was cut into
  // (赣州市|委), although the text has them all.
  function clean(doc, added) {
    const out = { ...doc, terms: { ...doc.terms } }
    for (const field of HIDDEN_FIELDS)
      delete out[field]
    for (const field of ["title", "text"])
      if (typeof out[field] === "string")
        out[field] = out[field].replace(/\u200b/g, "")
    for (const term of added)
      delete out.terms[term]
    const shown = `${out.title ?? ""} ${out.text ?? ""}`.replace(/<[^>]*>/g, "").toLowerCase()
    for (const term of Object.keys(out.terms))
      out.terms[term] ||= shown.includes(term.toLowerCase())
    return out
  }

  const plain = html => html.replace(/<[^>]*>|\u200b|\s/g, "").normalize("NFKC").toLowerCase()

  // index: Material's Search; its search(query, true) is the original method. A page titled exactly
  // as typed comes first: 市直有关部门 and 市直(驻市)有关部门 match the query's words equally.
  function search(index, query) {
    const token = itemNumber(query)
    let result = token ? index.search(`+${token}`, true) : undefined
    let added = []
    if (!result || !result.items.length) {
      added = joined(query)
      result = index.search([query, ...added].join(" "), true)
    }
    const typed = plain(query)
    const titled = group => group.some(doc => !doc.location.includes("#") && plain(doc.title) === typed)
    const items = [...result.items.filter(titled), ...result.items.filter(group => !titled(group))]
    return { ...result, items: items.map(group => group.map(doc => clean(doc, added))) }
  }

  self.workplanSearch = { search, cut, itemNumber }
})();
