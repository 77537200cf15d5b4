// Types for the word dictionaries inside pinyin-pro (its package exports "./dist/*" but ships
// no declarations next to these files). Each maps a word to space-separated tone-marked syllables.
declare module 'pinyin-pro/dist/esm/data/dict2.mjs' {
  const DICT: Record<string, string>;
  export default DICT;
}
declare module 'pinyin-pro/dist/esm/data/dict3.mjs' {
  const DICT: Record<string, string>;
  export default DICT;
}
declare module 'pinyin-pro/dist/esm/data/dict4.mjs' {
  const DICT: Record<string, string>;
  export default DICT;
}
declare module 'pinyin-pro/dist/esm/data/dict5.mjs' {
  const DICT: Record<string, string>;
  export default DICT;
}
